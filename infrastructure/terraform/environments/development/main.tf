# development: Sized from the seed's development VM: 2 cores, 2 GiB, 20 GiB.
module "game_servers" {
  source = "../../modules/proxmox-vm"

  environment      = "development"
  instance_count   = var.instance_count
  proxmox_node     = var.proxmox_node
  template_vm_id   = var.template_vm_id
  cpu_cores        = 2
  memory_mb        = 2048
  disk_size_gb     = 20
  storage_pool     = var.storage_pool
  network_bridge   = var.network_bridge
  ipv4_base        = var.ipv4_base
  ipv4_host_offset = 10
  gateway_ip       = var.gateway_ip
  nameservers      = var.nameservers
  ssh_public_keys  = var.ssh_public_keys
  # The one VM is the whole environment: the inventory script puts it in every group by these.
  tags = ["type-db", "type-monitoring", "type-loadgen"]
}
