output "vm_ids" {
  description = "Proxmox VM ids, in creation order."
  value       = proxmox_virtual_environment_vm.vm[*].vm_id
}

output "hosts" {
  description = "One entry per VM, in the shape of the infra-sdk's ProxmoxVmInfo (buildProxmoxInventory reads it as is): name, vmid, node, tags, ipAddresses (the static address, then the IPv4 addresses the guest agent reports)."
  value = [
    for i, vm in proxmox_virtual_environment_vm.vm : {
      name = vm.name
      vmid = vm.vm_id
      node = vm.node_name
      tags = local.tags
      ipAddresses = compact(concat(
        var.ipv4_base == null ? [] : ["${var.ipv4_base}${var.ipv4_host_offset + i}"],
        flatten([for list in vm.ipv4_addresses : [for a in list : a if a != "127.0.0.1"]]),
      ))
    }
  ]
}
