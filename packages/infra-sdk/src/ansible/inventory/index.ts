export {
  formatInventory,
  type InventoryFormat,
  inventoryFormatOf,
  parseInventory,
  readInventory,
  writeInventory,
} from './files.js';
export { expandHostPattern } from './host-pattern.js';
export {
  type Inventory,
  InventoryBuilder,
  type InventoryGroup,
  type InventoryVars,
  safeGroupName,
  validateInventory,
} from './inventory.js';
export {
  buildProxmoxInventory,
  loadProxmoxInventory,
  type ProxmoxInventoryOptions,
  type ProxmoxInventoryResult,
  type ProxmoxVmInfo,
  type ProxmoxVmSource,
} from './proxmox.js';
export { formatPythonValue, parsePythonValue } from './python-literal.js';
