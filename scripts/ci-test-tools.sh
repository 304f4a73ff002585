#!/usr/bin/env bash
# The real tools the test suite runs, for the GitLab test job (.gitlab-ci.yml) on the node images
# (Debian bookworm or trixie, as root). With CI=true a test whose tool is missing fails rather than
# skips (hasTool in tools/test-support), so everything here is needed: test/pipeline.test.ts
# checks that each tool a test asks hasTool for is installed by this job.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

# Pinned: Terraform within the `required_version` of infrastructure/terraform (the version the
# project's machines run), and the Compose plugin whose `docker compose config` the compose test
# runs. apt matches the trailing * against the Debian revision and codename suffixes.
TERRAFORM_VERSION=1.11.4
DOCKER_CLI_VERSION=28.3.3
DOCKER_COMPOSE_VERSION=2.39.1
# The fingerprints the vendors publish for their archive keys (scripts/apt-keyring.sh checks them).
HASHICORP_KEY=798AEC654E5C15428C8E42EEAA16FCBCA621E701
DOCKER_KEY=9DC858229FC7DD38854AE2D88D81803C0EBFCD88

# shellcheck source=/dev/null
. /etc/os-release
apt-get update -qq
apt-get install -y -qq --no-install-recommends ca-certificates curl gnupg >/dev/null

bash scripts/apt-keyring.sh /usr/share/keyrings/hashicorp-archive-keyring.gpg https://apt.releases.hashicorp.com/gpg "$HASHICORP_KEY"
# Terraform is one static binary: the bookworm suite serves the trixie images too.
echo "deb [signed-by=/usr/share/keyrings/hashicorp-archive-keyring.gpg] https://apt.releases.hashicorp.com bookworm main" \
  >/etc/apt/sources.list.d/hashicorp.list
bash scripts/apt-keyring.sh /usr/share/keyrings/docker-archive-keyring.gpg https://download.docker.com/linux/debian/gpg "$DOCKER_KEY"
echo "deb [signed-by=/usr/share/keyrings/docker-archive-keyring.gpg] https://download.docker.com/linux/debian $VERSION_CODENAME stable" \
  >/etc/apt/sources.list.d/docker.list
apt-get update -qq

# Postgres binaries (the outage tests' throwaway clusters), Redis (a throwaway redis-server per
# cluster test file, redis-cli for the redis role's test), Prometheus with promtool and its
# exporters, Alertmanager with amtool, Ansible (ansible-playbook, ansible-inventory, ansible-doc)
# and ansible-lint, Chromium for the browser client and the dashboard page, tmux for
# `leviathan top` and the MUD client test, TinTin++ (that MUD client), Terraform, and the Docker CLI with Compose (no daemon: `compose config` only
# parses).
apt-get install -y -qq --no-install-recommends \
  postgresql redis-server redis-tools prometheus prometheus-node-exporter prometheus-postgres-exporter prometheus-alertmanager \
  ansible ansible-lint chromium tmux tintin++ "terraform=${TERRAFORM_VERSION}-*" \
  "docker-ce-cli=5:${DOCKER_CLI_VERSION}-*" "docker-compose-plugin=${DOCKER_COMPOSE_VERSION}-*" >/dev/null

terraform version
docker compose version
