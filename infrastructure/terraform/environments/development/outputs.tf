output "vm_ids" {
  description = "Proxmox VM ids of the game servers."
  value       = module.game_servers.vm_ids
}

output "hosts" {
  description = "Game servers for the inventory: name, vmid, node, tags, ipAddresses: the infra-sdk's ProxmoxVmInfo (`terraform output -json hosts`; the inventory script infrastructure/ansible/inventories/development/terraform.py reads it)."
  value       = module.game_servers.hosts
}
