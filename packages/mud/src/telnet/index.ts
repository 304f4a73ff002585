export { createTelnetServer, type TelnetServer, type TelnetServerOptions } from './telnet-server.js';
