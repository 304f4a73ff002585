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

# The rest of the environment's fleet, each VM its own (no VM is shared between environments: a
# deploy of one rewrites its monitoring targets and load-test settings). Fixed offsets below the
# game servers' range, as the inventory (infrastructure/ansible/inventories/production) has them.

# Postgres (the store) and Redis (the cluster's coordinator).
module "database" {
  source = "../../modules/proxmox-vm"

  environment      = "production"
  role             = "db"
  instance_count   = 1
  proxmox_node     = var.proxmox_node
  template_vm_id   = var.template_vm_id
  cpu_cores        = 4
  memory_mb        = 8192
  disk_size_gb     = 100
  storage_pool     = var.storage_pool
  network_bridge   = var.network_bridge
  ipv4_base        = var.ipv4_base
  ipv4_host_offset = 7
  gateway_ip       = var.gateway_ip
  nameservers      = var.nameservers
  ssh_public_keys  = var.ssh_public_keys
}

# Prometheus (the monitoring role), and Grafana beside it where one is wanted.
module "monitoring" {
  source = "../../modules/proxmox-vm"

  environment      = "production"
  role             = "monitoring"
  instance_count   = 1
  proxmox_node     = var.proxmox_node
  template_vm_id   = var.template_vm_id
  cpu_cores        = 2
  memory_mb        = 4096
  disk_size_gb     = 100
  storage_pool     = var.storage_pool
  network_bridge   = var.network_bridge
  ipv4_base        = var.ipv4_base
  ipv4_host_offset = 8
  gateway_ip       = var.gateway_ip
  nameservers      = var.nameservers
  ssh_public_keys  = var.ssh_public_keys
}

# the load generator (leviathan-load), one segment per host.
module "load_generator" {
  source = "../../modules/proxmox-vm"

  environment      = "production"
  role             = "loadgen"
  instance_count   = 1
  proxmox_node     = var.proxmox_node
  template_vm_id   = var.template_vm_id
  cpu_cores        = 4
  memory_mb        = 4096
  disk_size_gb     = 20
  storage_pool     = var.storage_pool
  network_bridge   = var.network_bridge
  ipv4_base        = var.ipv4_base
  ipv4_host_offset = 9
  gateway_ip       = var.gateway_ip
  nameservers      = var.nameservers
  ssh_public_keys  = var.ssh_public_keys
}

# where Ansible runs for this environment (the playbooks, the vault).
module "controller" {
  source = "../../modules/proxmox-vm"

  environment      = "production"
  role             = "controller"
  instance_count   = 1
  proxmox_node     = var.proxmox_node
  template_vm_id   = var.template_vm_id
  cpu_cores        = 1
  memory_mb        = 2048
  disk_size_gb     = 20
  storage_pool     = var.storage_pool
  network_bridge   = var.network_bridge
  ipv4_base        = var.ipv4_base
  ipv4_host_offset = 2
  gateway_ip       = var.gateway_ip
  nameservers      = var.nameservers
  ssh_public_keys  = var.ssh_public_keys
}
