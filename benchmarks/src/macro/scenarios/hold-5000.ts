import { holdIteration, holdOptions } from './hold.js';

export const options = holdOptions(5000);
export default holdIteration;
