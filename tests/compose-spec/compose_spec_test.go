// The workshop's compose file as `docker compose` (v2) loads it: compose-go is the loader the v2
// CLI uses, so a file it rejects would not start for anyone with a current Docker. Beyond
// loading, the rules compose/docker-compose.yaml promises its users are checked here: pinned
// images (the native stack's Collector and Jaeger releases, Postgres 15), memory limits within
// the stated budget, rotated logs, ports on 127.0.0.1 by default, and no probe inside the images
// that cannot run one.
package composespec

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

const repo = "../.."

// The whole stack's memory budget, bytes: "at most 1.5 GB" (compose/docker-compose.yaml).
const memoryBudget = 1_500_000_000

func loadProject(t *testing.T) *types.Project {
	t.Helper()
	dir := filepath.Join(repo, "compose")
	// As a user in compose/ would run it: .env read, the opt-in load profile included. The
	// test's own environment is left out, so only the file's defaults are checked.
	options, err := cli.NewProjectOptions(
		[]string{filepath.Join(dir, "docker-compose.yaml")},
		cli.WithWorkingDirectory(dir),
		cli.WithEnvFiles(),
		cli.WithDotEnv,
		cli.WithProfiles([]string{"load"}),
	)
	if err != nil {
		t.Fatalf("compose options: %v", err)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		t.Fatalf("docker compose v2 would reject compose/docker-compose.yaml: %v", err)
	}
	return project
}

// A shell variable NAME=value of scripts/versions.sh.
func pinnedVersion(t *testing.T, name string) string {
	t.Helper()
	text, err := os.ReadFile(filepath.Join(repo, "scripts", "versions.sh"))
	if err != nil {
		t.Fatal(err)
	}
	match := regexp.MustCompile(`(?m)^` + name + `=(\S+)`).FindSubmatch(text)
	if match == nil {
		t.Fatalf("scripts/versions.sh sets no %s", name)
	}
	return string(match[1])
}

func imageOf(t *testing.T, project *types.Project, service string) string {
	t.Helper()
	config, ok := project.Services[service]
	if !ok {
		t.Fatalf("no service %q", service)
	}
	return config.Image
}

func TestEveryServiceIsThere(t *testing.T) {
	project := loadProject(t)
	for _, name := range []string{"postgres", "migrate", "jaeger", "otelcol", "inventory-service",
		"order-service", "api-gateway", "loadgen"} {
		if _, ok := project.Services[name]; !ok {
			t.Errorf("service %q is missing", name)
		}
	}
}

func TestImagesArePinnedToTheNativeStacksVersions(t *testing.T) {
	project := loadProject(t)
	for name, service := range project.Services {
		repository, tag, found := strings.Cut(service.Image, ":")
		if !found || repository == "" || tag == "" || tag == "latest" {
			t.Errorf("%s: image %q is not pinned to an exact version", name, service.Image)
		}
	}
	if got, want := imageOf(t, project, "otelcol"),
		"otel/opentelemetry-collector-contrib:"+pinnedVersion(t, "OTELCOL_VERSION"); got != want {
		t.Errorf("the Collector image is %s; the native build (scripts/versions.sh) is %s", got, want)
	}
	if got, want := imageOf(t, project, "jaeger"),
		"jaegertracing/jaeger:"+pinnedVersion(t, "JAEGER_VERSION"); got != want {
		t.Errorf("the Jaeger image is %s; the native build (scripts/versions.sh) is %s", got, want)
	}
	if image := imageOf(t, project, "postgres"); !regexp.MustCompile(`^postgres:15\.\d+`).MatchString(image) {
		t.Errorf("Postgres is %s; the native stack runs major 15", image)
	}
}

func TestMemoryIsLimitedWithinTheBudget(t *testing.T) {
	project := loadProject(t)
	var total int64
	for name, service := range project.Services {
		if service.Deploy != nil {
			t.Errorf("%s: deploy is not read by docker-compose 1.29; use mem_limit", name)
		}
		if service.MemLimit <= 0 {
			t.Errorf("%s has no mem_limit", name)
		}
		// migrate has exited before the services start: its limit is never in use with theirs.
		if name != "migrate" {
			total += int64(service.MemLimit)
		}
	}
	if total > memoryBudget {
		t.Errorf("the running stack's limits add up to %d bytes, over the %d budget", total, memoryBudget)
	}
}

func TestLogsAreRotated(t *testing.T) {
	for name, service := range loadProject(t).Services {
		if service.Logging == nil || service.Logging.Driver != "json-file" ||
			service.Logging.Options["max-size"] == "" || service.Logging.Options["max-file"] == "" {
			t.Errorf("%s: logs are not rotated (json-file with max-size and max-file)", name)
		}
	}
}

func TestPublishedPortsAreOnLoopbackByDefault(t *testing.T) {
	for name, service := range loadProject(t).Services {
		for _, port := range service.Ports {
			if port.HostIP != "127.0.0.1" || port.Published == "" {
				t.Errorf("%s: port %d is published on %q:%q, not 127.0.0.1:<variable>", name,
					port.Target, port.HostIP, port.Published)
			}
		}
	}
}

// The official Collector image is built from scratch and the stand-in for Jaeger too: no probe
// can run inside them, so they have none and whoever depends on them waits for a start.
func TestNoProbeRunsInsideImagesWithoutAShell(t *testing.T) {
	project := loadProject(t)
	shellless := map[string]bool{"otelcol": true, "jaeger": true}
	for name := range shellless {
		if check := project.Services[name].HealthCheck; check != nil && !check.Disable {
			t.Errorf("%s has a healthcheck, but its image has no shell or HTTP client to run one", name)
		}
	}
	for name, service := range project.Services {
		for dependency, condition := range service.DependsOn {
			if shellless[dependency] && condition.Condition != types.ServiceConditionStarted {
				t.Errorf("%s waits for %s to be %s; it can only be started", name, dependency,
					condition.Condition)
			}
		}
	}
}
