'use strict';
// uWebSockets.js for one platform: the upstream binary built for this Node's module ABI.
// Placed as index.js of each platform package by prepare.mjs.
const { readdirSync } = require('node:fs');

const abi = process.versions.modules;
const binary = `uws_${process.platform}_${process.arch}_${abi}.node`;

try {
  module.exports = require(`./${binary}`);
} catch (err) {
  // One line that says what is missing (a Node line without a binary here, or a system library
  // such as glibc older than the binary needs), then the loader's own message.
  const carried = readdirSync(__dirname)
    .filter((f) => f.endsWith('.node'))
    .map((f) => f.replace(/^uws_.*_(\d+)\.node$/, '$1'));
  const reason = carried.includes(abi)
    ? `${binary} does not load: ${String(err?.message).split('\n')[0]}`
    : `no binary for Node ${process.version} (module ABI ${abi}); this package carries ABIs ${carried.join(', ')}`;
  throw new Error(`uWebSockets.js: ${reason}`, { cause: err });
}
