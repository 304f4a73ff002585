output "vm_ids" {
  description = "Proxmox VM ids of the environment's VMs: game servers first, then database, monitoring, load generator, controller."
  value       = concat(module.game_servers.vm_ids, module.database.vm_ids, module.monitoring.vm_ids, module.load_generator.vm_ids, module.controller.vm_ids)
}

output "hosts" {
  description = "Every VM of the environment for the inventory: name, vmid, node, tags (type-<role> says its group), ipAddresses: the infra-sdk's ProxmoxVmInfo (`terraform output -json hosts`; the inventory script infrastructure/ansible/inventories/staging/terraform.py reads it)."
  value       = concat(module.game_servers.hosts, module.database.hosts, module.monitoring.hosts, module.load_generator.hosts, module.controller.hosts)
}
