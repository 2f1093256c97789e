// Command pulumi-language-nodejs is a small Node.js language host for the
// Pulumi engine, written for this project because the Go module proxy does
// not serve the upstream host's module. It implements the parts of the
// LanguageRuntime protocol a TypeScript program and a CrossGuard policy pack
// need: run a program (`@pulumi/pulumi/cmd/run`), run a policy pack as a
// plugin (`@pulumi/pulumi/cmd/run-policy-pack`), and list the resource
// plugins the program's node_modules declare. Everything else answers
// Unimplemented, which the engine treats as "feature not offered".
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// version is stamped at build time with -ldflags "-X main.version=...".
var version = "0.0.0-dev"

// bailExitCode is what @pulumi/pulumi/cmd/run exits with after it has
// already reported the error to the engine: the engine should not print it
// again.
const bailExitCode = 32

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
}

func main() {
	flag.String("tracing", "", "accepted for compatibility; tracing is not supported")
	flag.Parse()
	h := &host{engineAddress: flag.Arg(0)}

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: cannot start the gRPC server: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from our first line of output.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: server stopped: %v\n", err)
		os.Exit(1)
	}
}

func (h *host) Handshake(context.Context, *pulumirpc.LanguageHandshakeRequest) (*pulumirpc.LanguageHandshakeResponse, error) {
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// programDir returns the absolute directory of the program or plugin.
func programDir(info *pulumirpc.ProgramInfo, pwd string) string {
	if info != nil && info.ProgramDirectory != "" {
		return info.ProgramDirectory
	}
	return pwd
}

// resolveSDKScript finds node_modules/@pulumi/pulumi/<rel> walking up from
// dir, as Node's resolver would.
func resolveSDKScript(dir, rel string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		p := filepath.Join(d, "node_modules", "@pulumi", "pulumi", rel)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("@pulumi/pulumi is not installed for %s: run `npm install` there first", dir)
		}
	}
}

func (h *host) GetRequiredPlugins(_ context.Context, req *pulumirpc.GetRequiredPluginsRequest) (*pulumirpc.GetRequiredPluginsResponse, error) {
	plugins, err := pluginsIn(filepath.Join(programDir(req.Info, req.Pwd), "node_modules"))
	if err != nil {
		return nil, err
	}
	if os.Getenv("PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION") == "true" {
		for _, p := range plugins {
			if err := checkInstalled(p); err != nil {
				return nil, err
			}
		}
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

// checkInstalled fails with a how-to when a plugin is neither on PATH nor in
// the plugin cache: with downloads turned off the engine would stop anyway,
// with a message that does not say how to provide it.
func checkInstalled(p *pulumirpc.PluginDependency) error {
	bin := "pulumi-" + p.Kind + "-" + p.Name
	if _, err := exec.LookPath(bin); err == nil {
		return nil
	}
	home := os.Getenv("PULUMI_HOME")
	if home == "" {
		if h, err := os.UserHomeDir(); err == nil {
			home = filepath.Join(h, ".pulumi")
		}
	}
	if _, err := os.Stat(filepath.Join(home, "plugins", p.Kind+"-"+p.Name+"-"+p.Version, bin)); err == nil {
		return nil
	}
	return fmt.Errorf("the %s plugin %s %s is not installed and downloads are off (PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true). "+
		"Provide it: run `npm run toolchain` and `source scripts/env.sh` in the elasticell project (builds it from Go modules and puts it on PATH), "+
		"or put %s on PATH, or `pulumi plugin install %s %s %s --file <path to %s>`",
		p.Kind, p.Name, p.Version, bin, p.Kind, p.Name, p.Version, bin)
}

type packageJSON struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Pulumi  struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
	} `json:"pulumi"`
}

// pluginsIn lists the resource plugins declared by the packages directly in
// a node_modules directory (including @scope/ directories).
func pluginsIn(nodeModules string) ([]*pulumirpc.PluginDependency, error) {
	var dirs []string
	entries, err := os.ReadDir(nodeModules)
	if err != nil {
		return nil, fmt.Errorf("reading %s (did you run npm install?): %w", nodeModules, err)
	}
	for _, e := range entries {
		p := filepath.Join(nodeModules, e.Name())
		if strings.HasPrefix(e.Name(), "@") {
			scoped, _ := os.ReadDir(p)
			for _, s := range scoped {
				dirs = append(dirs, filepath.Join(p, s.Name()))
			}
			continue
		}
		dirs = append(dirs, p)
	}
	var out []*pulumirpc.PluginDependency
	for _, d := range dirs {
		b, err := os.ReadFile(filepath.Join(d, "package.json"))
		if err != nil {
			continue
		}
		var pkg packageJSON
		if json.Unmarshal(b, &pkg) != nil || !pkg.Pulumi.Resource {
			continue
		}
		name := pkg.Pulumi.Name
		if name == "" {
			name = strings.TrimPrefix(strings.TrimPrefix(pkg.Name, "@pulumi/"), "@")
		}
		v := pkg.Pulumi.Version
		if v == "" {
			v = pkg.Version
		}
		out = append(out, &pulumirpc.PluginDependency{Name: name, Kind: "resource", Version: "v" + strings.TrimPrefix(v, "v")})
	}
	return out, nil
}

// Run executes the program with @pulumi/pulumi/cmd/run, which connects back to
// the engine's resource monitor.
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	dir := programDir(req.Info, req.Pwd)
	runPath, err := resolveSDKScript(dir, filepath.Join("cmd", "run"))
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	// "." lets @pulumi/pulumi/cmd/run find the entry point in package.json.
	entry := "."
	if req.Info != nil && req.Info.EntryPoint != "" && req.Info.EntryPoint != "." {
		entry = filepath.Join(dir, req.Info.EntryPoint)
	} else if dir != req.Pwd {
		entry = dir
	}
	args := []string{runPath}
	add := func(k, v string) {
		if v != "" {
			args = append(args, "--"+k, v)
		}
	}
	add("monitor", req.MonitorAddress)
	add("engine", h.engineAddress)
	add("organization", req.Organization)
	add("project", req.Project)
	add("stack", req.Stack)
	add("pwd", req.Pwd)
	if req.Info != nil {
		add("root-directory", req.Info.RootDirectory)
	}
	if req.DryRun {
		args = append(args, "--dry-run")
	}
	add("parallel", strconv.Itoa(int(req.Parallel)))
	args = append(args, entry)
	args = append(args, req.Args...)
	opts := runtimeOptions(req.Info)
	if nodeargs, ok := opts["nodeargs"].(string); ok && nodeargs != "" {
		args = append(strings.Fields(nodeargs), args...)
	}

	config, err := json.Marshal(req.Config)
	if err != nil {
		return nil, err
	}
	secretKeys, err := json.Marshal(req.ConfigSecretKeys)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = req.Pwd
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), "PULUMI_CONFIG="+string(config), "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys))
	// Runtime options of Pulumi.yaml, as the upstream host passes them.
	typescript := true
	if v, ok := opts["typescript"].(bool); ok {
		typescript = v
	}
	cmd.Env = append(cmd.Env, "PULUMI_NODEJS_TYPESCRIPT="+strconv.FormatBool(typescript))
	if tsconfig, ok := opts["tsconfig"].(string); ok && tsconfig != "" {
		cmd.Env = append(cmd.Env, "PULUMI_NODEJS_TSCONFIG_PATH="+tsconfig)
	}
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			if exit.ExitCode() == bailExitCode {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exit.ExitCode())}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run node: %v", err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// runtimeOptions returns the `runtime.options` of Pulumi.yaml.
func runtimeOptions(info *pulumirpc.ProgramInfo) map[string]any {
	if info == nil || info.Options == nil {
		return map[string]any{}
	}
	return info.Options.AsMap()
}

// RunPlugin runs a Node.js plugin; the only kind this project uses is a
// policy pack (analyzer), started with @pulumi/pulumi/cmd/run-policy-pack.
func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse]) error {
	if req.Kind != "analyzer" {
		return fmt.Errorf("pulumi-language-nodejs (elasticell build) runs policy packs only, not %q plugins", req.Kind)
	}
	dir := programDir(req.Info, req.Pwd)
	script, err := resolveSDKScript(dir, filepath.Join("cmd", "run-policy-pack"))
	if err != nil {
		return err
	}
	args := append([]string{script}, req.Args...)
	args = append(args, dir)
	cmd := exec.CommandContext(server.Context(), "node", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), req.Env...)
	cmd.Stdout = streamWriter(func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}})
	})
	cmd.Stderr = streamWriter(func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}})
	})
	code := int32(0)
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			return err
		}
		code = int32(exit.ExitCode())
	}
	return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: code}})
}

// streamWriter adapts a send function to io.Writer; gRPC streams are not
// safe for concurrent sends, and exec copies stdout and stderr from two
// goroutines, so sends are serialised.
type streamWriter func([]byte) error

var sendLock = make(chan struct{}, 1)

func (w streamWriter) Write(b []byte) (int, error) {
	sendLock <- struct{}{}
	defer func() { <-sendLock }()
	if err := w(append([]byte(nil), b...)); err != nil {
		return 0, err
	}
	return len(b), nil
}

var _ io.Writer = streamWriter(nil)
