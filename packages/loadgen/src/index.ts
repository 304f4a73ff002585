/** Work in progress: see the open issues. */
export const VERSION = '0.1.0';
