variable "proxmox_api_url" {
  description = "Proxmox API endpoint, e.g. https://proxmox.local:8006/ (the provider adds /api2/json)."
  type        = string
}

variable "proxmox_api_token" {
  description = "Proxmox API token as USER@REALM!TOKENID=SECRET (for example terraform@pve!leviathan=...). Leave unset: the provider then reads the PROXMOX_VE_API_TOKEN environment variable (Terraform never prompts for it)."
  type        = string
  sensitive   = true
  default     = null
  nullable    = true
}

variable "proxmox_tls_insecure" {
  description = "Skip TLS verification of the Proxmox API. Only for a lab with a self-signed certificate."
  type        = bool
  default     = false
}

variable "proxmox_node" {
  description = "Proxmox node that hosts the VMs."
  type        = string
  default     = "pve"
}

variable "template_vm_id" {
  description = "VM id of the Debian 13 cloud-init template (glibc 2.41, Node 24; see docs/operations.md)."
  type        = number
  default     = 9000
}

variable "storage_pool" {
  description = "Proxmox datastore for disks and cloud-init drives."
  type        = string
  default     = "local-lvm"
}

variable "network_bridge" {
  description = "Proxmox network bridge."
  type        = string
  default     = "vmbr0"
}

variable "ipv4_base" {
  description = "First three octets of the VMs' static addresses (e.g. \"10.20.0.\"), or null for DHCP."
  type        = string
  default     = null
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

variable "ssh_public_keys" {
  description = "SSH public keys authorised on every VM."
  type        = list(string)
  sensitive   = true
}

variable "instance_count" {
  description = "Number of game-server VMs. Sized from the seed's production simulation: 4 cores, 8 GiB, 50 GiB."
  type        = number
  default     = 2
}
