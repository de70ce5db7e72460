// How to run node-gyp here, without a download: npm's own node-gyp (npm sets
// npm_config_node_gyp in scripts), a node-gyp package, or one on PATH; and the headers shipped
// with this Node (include/node next to bin/node), passed as --nodedir when present.
'use strict';
const fs = require('fs');
const path = require('path');

function nodeGypCommand() {
  const js = [process.env.npm_config_node_gyp];
  try { js.push(require.resolve('node-gyp/bin/node-gyp.js')); } catch { /* not installed */ }
  // npm's bundled copy, next to the npm that ships with this Node
  js.push(path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  for (const f of js) if (f && fs.existsSync(f)) return [f];
  return ['node-gyp'];
}

function nodeDir() {
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return fs.existsSync(path.join(prefix, 'include', 'node', 'common.gypi')) && fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? prefix : null;
}

module.exports = { nodeGypCommand, nodeDir };
