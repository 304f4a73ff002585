# production: Sized from the seed's production simulation: 4 cores, 8 GiB, 50 GiB.
module "game_servers" {
  source = "../../modules/proxmox-vm"

  environment      = "production"
  instance_count   = var.instance_count
  proxmox_node     = var.proxmox_node
  template_vm_id   = var.template_vm_id
  cpu_cores        = 4
  memory_mb        = 8192
  disk_size_gb     = 50
  storage_pool     = var.storage_pool
  network_bridge   = var.network_bridge
  ipv4_base        = var.ipv4_base
  ipv4_host_offset = 30
  gateway_ip       = var.gateway_ip
  nameservers      = var.nameservers
  ssh_public_keys  = var.ssh_public_keys
}
