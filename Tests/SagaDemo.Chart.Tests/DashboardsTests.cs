using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using SagaDemo.Chart.Tests.Support;

namespace SagaDemo.Chart.Tests;

/// <summary>
/// The chart carries every dashboard of the repository's dashboards/. Helm reads only files inside
/// the chart, so charts/saga-demo/dashboards is a relative symlink to ../../dashboards (helm install
/// and helm package follow symlinks and package the files themselves); the ConfigMap template globs
/// dashboards/*.json through it.
/// </summary>
public class DashboardsTests
{
    static string ChartDashboards => Path.Combine(RepoPaths.Chart, "dashboards");

    static IReadOnlyList<string> RepoDashboardFiles =>
        Directory.Exists(RepoPaths.Dashboards)
            ? JsonFileNames(RepoPaths.Dashboards)
            : [];

    static IReadOnlyList<string> JsonFileNames(string directory) =>
        Directory.EnumerateFiles(directory, "*.json").Select(p => Path.GetFileName(p)).OrderBy(n => n, StringComparer.Ordinal).ToList();

    [Fact]
    public void The_chart_sees_the_repository_dashboards_through_a_relative_symlink()
    {
        var link = new FileInfo(ChartDashboards);
        Assert.Equal("../../dashboards", link.LinkTarget);
        Assert.Equal(Path.GetFullPath(RepoPaths.Dashboards),
            Path.GetFullPath(Path.Combine(RepoPaths.Chart, link.LinkTarget!)));
    }

    [Fact]
    public void Every_dashboard_file_is_visible_where_the_template_globs()
    {
        var throughChart = Directory.Exists(ChartDashboards) ? JsonFileNames(ChartDashboards) : [];
        Assert.Equal(RepoDashboardFiles, throughChart);
        foreach (var name in RepoDashboardFiles)
            Assert.Equal(File.ReadAllBytes(Path.Combine(RepoPaths.Dashboards, name)), File.ReadAllBytes(Path.Combine(ChartDashboards, name)));
    }

    [Fact]
    public async Task The_rendered_configmap_carries_every_dashboard_for_the_grafana_sidecar()
    {
        var configMap = (await Rendering.Renders.Default.ObjectsAsync()).Single(o => (string?)o["kind"] == "ConfigMap"
            && ((string)o["metadata"]!["name"]!).EndsWith("-dashboards", StringComparison.Ordinal));
        Assert.Equal("1", (string?)configMap["metadata"]!["labels"]!["grafana_dashboard"]);
        var data = (JObject)configMap["data"]!;
        Assert.Equal(RepoDashboardFiles, data.Properties().Select(p => p.Name).Order(StringComparer.Ordinal));
        foreach (var name in RepoDashboardFiles)
            Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Dashboards, name)), (string?)data[name]);
    }

    [Fact]
    public void Every_dashboard_fits_a_configmap()
    {
        long total = 0;
        foreach (var name in RepoDashboardFiles)
        {
            // AsConfig keys the ConfigMap by file name; Kubernetes allows only these characters in keys.
            Assert.Matches(new Regex(@"^[-._a-zA-Z0-9]{1,253}$"), name);
            var path = Path.Combine(RepoPaths.Dashboards, name);
            var dashboard = JObject.Parse(File.ReadAllText(path));
            Assert.False(string.IsNullOrWhiteSpace((string?)dashboard["title"]), $"{name} has no title");
            total += new FileInfo(path).Length;
        }
        // A ConfigMap holds at most 1 MiB; leave room for metadata.
        Assert.True(total < 900 * 1024, $"dashboards total {total} bytes: too large for one ConfigMap");
    }

    [Fact]
    public void Docker_compose_grafana_provisions_the_same_directory()
    {
        var compose = (JObject)Yaml.LoadFile(Path.Combine(RepoPaths.Deploy, "docker-compose.yml"));
        var volumes = compose["services"]!["grafana"]!["volumes"]!.Values<string>().ToList();
        var mount = Assert.Single(volumes, v => v!.StartsWith("../dashboards:", StringComparison.Ordinal))!;
        var target = mount.Split(':')[1];
        var provider = (JObject)Yaml.LoadFile(Path.Combine(RepoPaths.Deploy, "grafana", "provisioning", "dashboards", "saga-demo.yml"));
        Assert.Equal(target, (string?)provider["providers"]![0]!["options"]!["path"]);
    }
}
