#!/usr/bin/env bash
# Regenerates Sources/ONNXProto/onnx.pb.swift from Sources/ONNXProto/onnx.proto (onnx/onnx, Apache-2.0, copied
# unchanged). Run by hand after changing the .proto or the swift-protobuf version; the output is committed, so
# neither builds nor CI need protoc or the plugin. Needs protoc (Debian: protobuf-compiler); builds
# protoc-gen-swift from the swift-protobuf checkout SwiftPM resolved for this package (the runtime's version).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v protoc >/dev/null || { echo "needs protoc: apt-get install -y protobuf-compiler" >&2; exit 1; }
swift package resolve
checkout=.build/checkouts/swift-protobuf
swift build --package-path "$checkout" --scratch-path .build/protoc-gen-swift --product protoc-gen-swift
plugin="$(swift build --package-path "$checkout" --scratch-path .build/protoc-gen-swift --show-bin-path)/protoc-gen-swift"
cd Sources/ONNXProto
protoc --plugin=protoc-gen-swift="$plugin" --swift_out=. --swift_opt=Visibility=Public onnx.proto
echo "generated: Sources/ONNXProto/onnx.pb.swift ($("$plugin" --version))"
