output "vm_ids" {
  description = "Proxmox VM ids of the game servers."
  value       = module.game_servers.vm_ids
}

output "hosts" {
  description = "Game servers for the inventory: name, vmid, node, tags, ipAddresses: the infra-sdk's ProxmoxVmInfo (`terraform output -json hosts`)."
  value       = module.game_servers.hosts
}
