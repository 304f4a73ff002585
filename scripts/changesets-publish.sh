#!/usr/bin/env bash
# CI (job `publish`, default branch): once the version merge request is merged (no changeset left),
# builds and publishes every package whose version is not on the registry yet (`pnpm release`:
# `changeset publish` skips versions already published), then pushes the release tags. With
# changesets still pending it does nothing: the `version` job's merge request comes first.
# Needs NPM_TOKEN (an automation token) and GITLAB_TOKEN for the tags. See docs/releasing.md.
set -euo pipefail
cd "$(dirname "$0")/.."

pending=$(find .changeset -maxdepth 1 -name '*.md' ! -name README.md | wc -l)
if [ "$pending" -gt 0 ]; then
  echo "[publish] ${pending} changeset(s) pending: merge the version merge request first"
  exit 0
fi
: "${NPM_TOKEN:?set NPM_TOKEN (npm automation token)}"
echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" >"$HOME/.npmrc"
pnpm release
if [ -n "${GITLAB_TOKEN:-}" ]; then
  git push "https://oauth2:${GITLAB_TOKEN}@${CI_SERVER_HOST}/${CI_PROJECT_PATH}.git" --tags
fi
