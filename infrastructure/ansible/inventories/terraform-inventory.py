#!/usr/bin/env python3
"""Ansible inventory from Terraform: the VMs an environment's Terraform made, with their addresses.

Each environment's inventory folder links to this script as terraform.py, next to its hosts.yml.
Ansible runs it when it reads the folder (`-i inventories/staging`); it asks Terraform for the
environment's `hosts` output (infrastructure/terraform/environments/<env>: one entry per VM, with
its tags and addresses) and puts each VM in the groups its type-<role> tag names. Ansible reads the
folder's files in name order, so what Terraform reports (an address handed out by DHCP, a VM
added with instance_count) wins over hosts.yml, which holds the planned static addresses and
serves alone where Terraform has not run (no state: this script then adds nothing).
"""
import ipaddress
import json
import os
import subprocess
import sys

# type-<role> tag -> the inventory groups the playbooks use.
GROUPS_BY_ROLE = {
    "gameserver": ["game_servers"],
    "db": ["databases", "redis"],
    "monitoring": ["monitoring"],
    "loadgen": ["load_generators"],
    "controller": ["controllers"],
}


def environment_name():
    # The folder the link sits in (argv[0] is the link's path, not its target's).
    return os.path.basename(os.path.dirname(os.path.abspath(sys.argv[0])))


def terraform_hosts(environment):
    here = os.path.dirname(os.path.abspath(sys.argv[0]))
    tf_dir = os.path.normpath(os.path.join(here, "..", "..", "..", "terraform", "environments", environment))
    command = [os.environ.get("LEVIATHAN_TERRAFORM", "terraform"), f"-chdir={tf_dir}", "output", "-no-color", "-json", "hosts"]
    env = dict(os.environ, TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1")
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    except FileNotFoundError:
        return []  # no terraform on this controller: hosts.yml stands alone
    if done.returncode != 0:
        # No state yet (never applied from here), or no such output: hosts.yml stands alone. Quiet,
        # since Ansible shows anything on stderr as an error; LEVIATHAN_TERRAFORM_DEBUG=1 says why.
        if os.environ.get("LEVIATHAN_TERRAFORM_DEBUG"):
            print(f"terraform.py: no Terraform output for {environment}: {done.stderr.strip()}", file=sys.stderr)
        return []
    hosts = json.loads(done.stdout or "[]")
    if not isinstance(hosts, list):
        raise SystemExit(f"terraform.py: the hosts output of {tf_dir} is not a list")
    return hosts


def usable_ipv4(raw):
    try:
        address = ipaddress.ip_address(str(raw).split("/")[0].strip())
    except ValueError:
        return None
    if address.version != 4 or address.is_loopback or address.is_link_local or address.is_unspecified:
        return None
    return str(address)


def inventory(environment, hosts):
    groups = {}
    hostvars = {}
    for vm in hosts:
        roles = [tag[len("type-"):] for tag in vm.get("tags", []) if tag.startswith("type-")]
        address = next((a for a in map(usable_ipv4, vm.get("ipAddresses", [])) if a), None)
        if address is None:
            print(f"terraform.py: {vm.get('name')} has no usable IPv4 address yet; left out", file=sys.stderr)
            continue
        name = vm["name"]
        hostvars[name] = {"ansible_host": address, "proxmox_vmid": vm.get("vmid"), "proxmox_node": vm.get("node")}
        for role in roles:
            for group in GROUPS_BY_ROLE.get(role, []):
                groups.setdefault(group, []).append(name)
    result = {"_meta": {"hostvars": hostvars}}
    if groups:
        result[environment] = {"children": sorted(groups)}
        for group, names in groups.items():
            result[group] = {"hosts": names}
    return result


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--host":
        print("{}")
        return
    environment = environment_name()
    print(json.dumps(inventory(environment, terraform_hosts(environment)), indent=2))


if __name__ == "__main__":
    main()
