terraform {
  required_version = ">= 1.5.0"

  required_providers {
    # bpg/proxmox rather than the seed's telmate/proxmox 2.9.14: telmate 2.9.x predates Proxmox VE 8
    # and 9 (the SDK targets the 9.1 API), and bpg is the maintained provider with first-class
    # cloud-init (initialization block), API-token auth and VM outputs with guest addresses.
    proxmox = {
      source  = "bpg/proxmox"
      version = "0.111.1"
    }
  }
}
