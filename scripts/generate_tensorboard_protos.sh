#!/usr/bin/env bash
# Regenerates Sources/TensorBoardEvents/Generated/*.pb.swift from TensorBoard's .proto files in
# Sources/TensorBoardEvents/Protos (copied from tensorflow/tensorboard, tensorboard/compat/proto, Apache-2.0).
# Run by hand after changing the .proto files or the swift-protobuf version; the output is committed, so neither
# builds nor CI need protoc or the plugin. Needs protoc (Debian: protobuf-compiler); builds protoc-gen-swift from
# the swift-protobuf checkout that SwiftPM resolved for this package (the same version as the runtime).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v protoc >/dev/null || { echo "needs protoc: apt-get install -y protobuf-compiler" >&2; exit 1; }
swift package resolve
checkout=.build/checkouts/swift-protobuf
swift build --package-path "$checkout" --scratch-path .build/protoc-gen-swift --product protoc-gen-swift
plugin="$(pwd)/.build/protoc-gen-swift/debug/protoc-gen-swift"
out=Sources/TensorBoardEvents/Generated
rm -rf "$out" && mkdir -p "$out"
cd Sources/TensorBoardEvents/Protos
protoc --plugin=protoc-gen-swift="$plugin" --swift_out=../Generated --swift_opt=FileNaming=DropPath \
  tensorboard/compat/proto/{event,summary,histogram,tensor,resource_handle,tensor_shape,types}.proto
echo "generated: $(ls ../Generated | tr '\n' ' ')"
