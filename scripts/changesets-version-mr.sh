#!/usr/bin/env bash
# CI (job `version`, default branch): applies pending changesets (`pnpm version-packages`: bumps,
# CHANGELOG.md files) on the branch changeset-release/<default branch>, pushes it, and opens its
# merge request unless one is open. Merging that request is the release decision; the `publish`
# job then publishes. Does nothing without pending changesets. Needs GITLAB_TOKEN (api and
# write_repository scopes) and GitLab's predefined CI variables. See docs/releasing.md.
set -euo pipefail
cd "$(dirname "$0")/.."

pending=$(find .changeset -maxdepth 1 -name '*.md' ! -name README.md | wc -l)
if [ "$pending" -eq 0 ]; then
  echo "[version] no pending changesets"
  exit 0
fi
: "${GITLAB_TOKEN:?set GITLAB_TOKEN (project access token: api, write_repository)}"
branch="changeset-release/${CI_DEFAULT_BRANCH}"

git config user.name "${GITLAB_USER_NAME:-leviathan-release}"
git config user.email "${GITLAB_USER_EMAIL:-release@leviathan.invalid}"
git checkout -B "$branch"
pnpm version-packages
# Internal dependency ranges may have moved with the bumps.
pnpm install --lockfile-only
git add --all .changeset packages pnpm-lock.yaml
git commit -m "Version packages"
git push --force "https://oauth2:${GITLAB_TOKEN}@${CI_SERVER_HOST}/${CI_PROJECT_PATH}.git" "HEAD:refs/heads/${branch}"

api="${CI_API_V4_URL}/projects/${CI_PROJECT_ID}/merge_requests"
open=$(curl --fail --silent --header "PRIVATE-TOKEN: ${GITLAB_TOKEN}" \
  "${api}?state=opened&source_branch=${branch}" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).length))')
if [ "$open" -eq 0 ]; then
  curl --fail --silent --header "PRIVATE-TOKEN: ${GITLAB_TOKEN}" \
    --data-urlencode "source_branch=${branch}" \
    --data-urlencode "target_branch=${CI_DEFAULT_BRANCH}" \
    --data-urlencode "title=Version packages" \
    --data-urlencode "description=Applies the pending changesets. Merging this publishes the new versions (job publish)." \
    --data-urlencode "remove_source_branch=true" \
    "$api" >/dev/null
  echo "[version] merge request opened for ${branch}"
else
  echo "[version] merge request for ${branch} updated"
fi
