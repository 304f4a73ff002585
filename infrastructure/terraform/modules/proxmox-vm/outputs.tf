output "vm_ids" {
  description = "Proxmox VM ids, in creation order."
  value       = proxmox_virtual_environment_vm.game_server[*].vm_id
}

output "hosts" {
  description = "One entry per VM, in the shape the infra-sdk's Proxmox inventory reads: name, vmid, node, tags, addresses (IPv4 reported by the guest agent, or the static address)."
  value = [
    for i, vm in proxmox_virtual_environment_vm.game_server : {
      name = vm.name
      vmid = vm.vm_id
      node = vm.node_name
      tags = local.tags
      addresses = compact(concat(
        var.ipv4_base == null ? [] : ["${var.ipv4_base}${var.ipv4_host_offset + i}"],
        flatten([for list in vm.ipv4_addresses : [for a in list : a if a != "127.0.0.1"]]),
      ))
    }
  ]
}
