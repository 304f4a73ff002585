variable "environment" {
  description = "Environment name (development, staging, production); used in VM names and tags."
  type        = string

  validation {
    condition     = contains(["development", "staging", "production"], var.environment)
    error_message = "environment must be development, staging or production."
  }
}

variable "role" {
  description = "What the VMs are for, one of the inventory's groups: gameserver (game_servers), db (databases and redis), monitoring, loadgen (load_generators) or controller (controllers, where Ansible runs). Tagged type-<role>; game servers are named <prefix>-<environment>-<n>, the others <prefix>-<environment>-<role>, with -<n> when there are several."
  type        = string
  default     = "gameserver"

  validation {
    condition     = contains(["gameserver", "db", "monitoring", "loadgen", "controller"], var.role)
    error_message = "role must be gameserver, db, monitoring, loadgen or controller."
  }
}

variable "instance_count" {
  description = "Number of VMs to create."
  type        = number
  default     = 1
}

variable "name_prefix" {
  description = "Prefix of VM names (see role)."
  type        = string
  default     = "leviathan"
}

variable "proxmox_node" {
  description = "Proxmox node that hosts the VMs."
  type        = string
  default     = "pve"
}

variable "template_vm_id" {
  description = "VM id of the cloud-init template to clone: Debian 13 (glibc >= 2.38 for the native uWebSockets.js of Node 22/24), 9000 in docs/operations.md."
  type        = number
  default     = 9000
}

variable "full_clone" {
  description = "Full clone (independent disk) rather than a linked clone of the template."
  type        = bool
  default     = true
}

variable "first_vm_id" {
  description = "VM id of the first VM; the others follow. Null lets Proxmox choose the next free ids."
  type        = number
  default     = null
}

variable "cpu_cores" {
  description = "vCPU cores per VM."
  type        = number
  default     = 2
}

variable "memory_mb" {
  description = "Memory per VM in MiB. Ballooning is off so game servers get consistent memory."
  type        = number
  default     = 2048
}

variable "disk_size_gb" {
  description = "Size of the boot disk (scsi0) in GiB; must be at least the template's."
  type        = number
  default     = 20
}

variable "storage_pool" {
  description = "Proxmox datastore for disks and the cloud-init drive."
  type        = string
  default     = "local-lvm"
}

variable "network_bridge" {
  description = "Proxmox network bridge for net0."
  type        = string
  default     = "vmbr0"
}

variable "vlan_id" {
  description = "VLAN tag for net0, or null for none."
  type        = number
  default     = null
}

variable "ipv4_base" {
  description = "First three octets of the static addresses, e.g. \"10.20.0.\"; VM n gets <base><ipv4_host_offset + n>. Null for DHCP."
  type        = string
  default     = null
}

variable "ipv4_host_offset" {
  description = "Host number of the first VM's address within ipv4_base."
  type        = number
  default     = 10
}

variable "ipv4_prefix_length" {
  description = "Prefix length of the static addresses."
  type        = number
  default     = 24
}

variable "gateway_ip" {
  description = "IPv4 gateway for static addresses."
  type        = string
  default     = null
}

variable "nameservers" {
  description = "DNS servers written by cloud-init."
  type        = list(string)
  default     = []
}

variable "ci_user" {
  description = "The login user cloud-init creates (SSH keys, passwordless sudo): Ansible's ansible_user. Not the engine's service user (leviathan), which the leviathan-engine role creates without a login shell: a role cannot change the user it is logged in as."
  type        = string
  default     = "deploy"

  validation {
    condition     = var.ci_user != "leviathan"
    error_message = "ci_user must not be leviathan, the engine's service user: Ansible logs in as ci_user, and the role makes leviathan a system user without a shell."
  }
}

variable "ssh_public_keys" {
  description = "SSH public keys authorised for ci_user."
  type        = list(string)
  sensitive   = true
}

variable "tags" {
  description = "Extra Proxmox tags; environment-<env>, project-leviathan and type-gameserver are always set."
  type        = list(string)
  default     = []
}
