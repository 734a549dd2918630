#!/usr/bin/env bash
# Publishes the server as one self-contained executable for linux-x64: the target needs no .NET.
# Usage: deploy/publish.sh [output folder]   (default artifacts/wschat-linux-x64)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-artifacts/wschat-linux-x64}"
dotnet publish src/Wschat.Hub/Wschat.Hub.csproj -c Release -r linux-x64 --self-contained \
  -p:PublishSingleFile=true -p:DebugType=none -o "$out"
echo "Published $out/Wschat.Hub"
