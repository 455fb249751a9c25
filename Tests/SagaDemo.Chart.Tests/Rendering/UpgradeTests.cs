using Newtonsoft.Json.Linq;

namespace SagaDemo.Chart.Tests.Rendering;

/// <summary>
/// `helm upgrade` as a diff of two renders: a configuration change rolls every pod (checksum annotations) and
/// touches nothing else; the migration Job reruns only when what it migrates with changes (image, credentials).
/// Both renders use one password seed, as an upgrade does by reading it back from the cluster (`helm template` cannot).
/// </summary>
public class UpgradeTests
{
    static readonly Render Installed = Renders.Default.With(Renders.FixedSeed);

    static string MigrationJob(Dictionary<string, JObject> objects) => objects.Keys.Single(k => k.StartsWith("Job/") && k.Contains("-migrate-"));

    static async Task<Dictionary<string, JObject>> ByKindAndName(Render render) =>
        (await render.ObjectsAsync()).ToDictionary(o => $"{o["kind"]}/{o.Name()}");

    static IReadOnlyList<string> Changed(Dictionary<string, JObject> before, Dictionary<string, JObject> after) =>
        before.Keys.Union(after.Keys)
            .Where(k => !before.TryGetValue(k, out var b) || !after.TryGetValue(k, out var a) || !JToken.DeepEquals(a, b))
            .Order().ToList();

    static string? Annotation(JObject deployment, string name) => (string?)deployment["spec"]!["template"]!["metadata"]!["annotations"]![name];

    [Fact]
    public async Task A_configuration_change_rolls_every_service_and_leaves_everything_else_alone()
    {
        var before = await ByKindAndName(Installed);
        var after = await ByKindAndName(Installed.With("config: { approvalDelay: \"00:00:00.500\" }\n"));

        var deployments = before.Keys.Where(k => k.StartsWith("Deployment/", StringComparison.Ordinal) && !k.EndsWith("kafka-exporter")).ToList();
        Assert.Equal(7, deployments.Count);
        Assert.Equal(["ConfigMap/saga-saga-demo-config", .. deployments.Order()], Changed(before, after));
        foreach (var key in deployments)
        {
            Assert.NotEqual(Annotation(before[key], "checksum/config"), Annotation(after[key], "checksum/config"));
            Assert.Equal(Annotation(before[key], "checksum/secret"), Annotation(after[key], "checksum/secret"));
            // Nothing but the annotation: the rollout brings the new ConfigMap and nothing else.
            var beforeSpec = (JObject)before[key].DeepClone();
            var afterSpec = (JObject)after[key].DeepClone();
            foreach (var o in new[] { beforeSpec, afterSpec })
                o["spec"]!["template"]!["metadata"]!["annotations"]!["checksum/config"]!.Parent!.Remove();
            Assert.True(JToken.DeepEquals(beforeSpec, afterSpec), key);
        }
        // The schema and the ACLs do not depend on the approval delay: no Job reruns.
        Assert.Equal(2, before.Keys.Count(k => k.StartsWith("Job/", StringComparison.Ordinal)));
        Assert.Equal(before.Keys.Where(k => k.StartsWith("Job/")), after.Keys.Where(k => k.StartsWith("Job/")));
    }

    [Fact]
    public async Task New_credentials_roll_the_pods_and_migrate_again()
    {
        var before = await ByKindAndName(Installed);
        var after = await ByKindAndName(Installed.With("secrets: { passwordSeed: rotated-seed-0123456789abcdef0123456789ab }\n"));
        Assert.Contains("Secret/saga-saga-demo-credentials", Changed(before, after));
        foreach (var key in before.Keys.Where(k => k.StartsWith("Deployment/") && !k.EndsWith("kafka-exporter")))
        {
            Assert.NotEqual(Annotation(before[key], "checksum/secret"), Annotation(after[key], "checksum/secret"));
            Assert.Equal(Annotation(before[key], "checksum/config"), Annotation(after[key], "checksum/config"));
        }
        Assert.NotEqual(MigrationJob(before), MigrationJob(after));
    }

    [Fact]
    public async Task A_new_image_migrates_once_before_its_pods_run()
    {
        var before = await ByKindAndName(Installed);
        var after = await ByKindAndName(Installed.With("image: { tag: \"0.2.0\" }\n"));
        var job = after[MigrationJob(after)];
        Assert.NotEqual(MigrationJob(before), MigrationJob(after));
        Assert.Equal("saga-demo:0.2.0", (string?)job.Container()["image"]);
        Assert.Equal(["migrate"], job.Container()["args"]!.Values<string>());
        // The pods leave migrating to the Job and wait for it.
        var config = after["ConfigMap/saga-saga-demo-config"].Entries();
        Assert.Equal("false", config["Postgres__MigrateOnStart"]);
    }
}
