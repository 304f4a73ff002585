locals {
  base_tags = ["environment-${var.environment}", "project-leviathan", "type-${var.role}"]
  tags      = sort(distinct(concat(local.base_tags, var.tags)))
  # Game servers keep <prefix>-<environment>-<n>: a cluster node is named after its host, and zones
  # are placed by node name.
  name_base = var.role == "gameserver" ? "${var.name_prefix}-${var.environment}" : "${var.name_prefix}-${var.environment}-${var.role}"
}

# The module made only game servers when this resource was called game_server.
moved {
  from = proxmox_virtual_environment_vm.game_server
  to   = proxmox_virtual_environment_vm.vm
}

resource "proxmox_virtual_environment_vm" "vm" {
  count = var.instance_count

  name      = var.role != "gameserver" && var.instance_count == 1 ? local.name_base : "${local.name_base}-${count.index + 1}"
  node_name = var.proxmox_node
  vm_id     = var.first_vm_id == null ? null : var.first_vm_id + count.index
  tags      = local.tags

  clone {
    vm_id = var.template_vm_id
    full  = var.full_clone
  }

  agent {
    enabled = true
  }

  # The seed's high-performance settings: host CPU type, NUMA, no ballooning.
  cpu {
    cores   = var.cpu_cores
    sockets = 1
    type    = "host"
    numa    = true
  }

  memory {
    dedicated = var.memory_mb
    floating  = 0
  }

  disk {
    datastore_id = var.storage_pool
    interface    = "scsi0"
    size         = var.disk_size_gb
    iothread     = true
    discard      = "on"
  }

  network_device {
    bridge  = var.network_bridge
    model   = "virtio"
    vlan_id = var.vlan_id
  }

  operating_system {
    type = "l26"
  }

  serial_device {}

  initialization {
    datastore_id = var.storage_pool

    ip_config {
      ipv4 {
        address = var.ipv4_base == null ? "dhcp" : "${var.ipv4_base}${var.ipv4_host_offset + count.index}/${var.ipv4_prefix_length}"
        gateway = var.ipv4_base == null ? null : var.gateway_ip
      }
    }

    dynamic "dns" {
      for_each = length(var.nameservers) > 0 ? [1] : []
      content {
        servers = var.nameservers
      }
    }

    user_account {
      username = var.ci_user
      keys     = var.ssh_public_keys
    }
  }

  lifecycle {
    # Cloud-init runs once; changing keys later must not rebuild a running VM.
    ignore_changes = [initialization[0].user_account]
  }
}
