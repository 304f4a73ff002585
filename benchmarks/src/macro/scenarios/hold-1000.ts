import { holdIteration, holdOptions } from './hold.js';

export const options = holdOptions(1000);
export default holdIteration;
