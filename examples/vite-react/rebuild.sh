#!/usr/bin/env bash
# Rebuilds web/ from frontend/ with the versions pinned in frontend/package-lock.json (needs Node
# 20.19+ and npm), then removes node_modules.
set -euo pipefail
cd "$(dirname "$0")/frontend"
npm ci --no-audit --no-fund
npm run build
rm -rf node_modules
