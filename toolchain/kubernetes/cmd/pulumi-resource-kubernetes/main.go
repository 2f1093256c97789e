// Command pulumi-resource-kubernetes wraps the Kubernetes provider of the
// pinned pulumi-kubernetes commit. The upstream main embeds schema files that
// `go generate` writes and the module does not ship; scripts/toolchain.sh
// writes them beside this file (from the module's schema.json, stamped with
// the provider version) before building.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema-embed.json
var schema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version.Version, schema, terraformMapping)
}
