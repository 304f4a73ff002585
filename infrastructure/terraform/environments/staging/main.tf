# staging: Sized from the seed's load-test targets: 2 cores, 4 GiB, 30 GiB, 3 to 5 instances.
module "game_servers" {
  source = "../../modules/proxmox-vm"

  environment      = "staging"
  instance_count   = var.instance_count
  proxmox_node     = var.proxmox_node
  template_vm_id   = var.template_vm_id
  cpu_cores        = 2
  memory_mb        = 4096
  disk_size_gb     = 30
  storage_pool     = var.storage_pool
  network_bridge   = var.network_bridge
  ipv4_base        = var.ipv4_base
  ipv4_host_offset = 20
  gateway_ip       = var.gateway_ip
  nameservers      = var.nameservers
  ssh_public_keys  = var.ssh_public_keys
}
