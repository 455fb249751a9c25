using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using SagaDemo.Chart.Tests.Rendering;
using SagaDemo.Chart.Tests.Support;
using SagaDemo.Contracts;
using SagaDemo.Host.Composition;
using SagaDemo.Host.RoleModules;

namespace SagaDemo.Chart.Tests.Security;

/// <summary>
/// One Kafka principal per service, allowed exactly what the service does (from the composition's consumer groups and
/// the chart's produces lists), applied to the bundled Kafka by the kafka-setup Job and documented in the README for
/// a managed one.
/// </summary>
public class KafkaAclTests
{
    static readonly JObject Usernames = (JObject)ChartFiles.Values["kafkaConnection"]!["sasl"]!["usernames"]!;
    static string User(string name) => (string)Usernames[name]!;
    static readonly IReadOnlyList<string> EveryTopic = [.. RoleCatalog.Topics.Definitions.SelectMany(t => new[] { t.Name, t.Name + ".dead-letter" }).Order()];

    [Fact]
    public async Task Each_service_reads_its_groups_topics_writes_what_it_produces_and_the_monitor_only_describes()
    {
        var acls = KafkaAcls.Of(await Renders.Default.ObjectsAsync());
        foreach (var role in Roles.All)
        {
            var subscriptions = RoleCatalog.Subscriptions.Where(s => s.Role == role).ToList();
            var read = subscriptions.SelectMany(s => s.Topics).Distinct().Order();
            var produces = ChartFiles.Values["services"]![role]!["produces"]!.Values<string>().Select(t => t!);
            // The api's console lists every dead-letter topic (console.readDeadLetters, on by default).
            var consoleReads = role == ApiRole.RoleName ? EveryTopic.Where(t => t.EndsWith(".dead-letter", StringComparison.Ordinal)) : [];
            Assert.Equal(read.Concat(consoleReads).Distinct().Order(), acls.Resources(User(role), "Read", "topic"));
            Assert.Equal(subscriptions.Select(s => s.Group).Order(), acls.Resources(User(role), "Read", "group"));
            Assert.Equal(produces.Concat(read.Select(t => t + ".dead-letter")).Order(), acls.Resources(User(role), "Write", "topic"));
            // The start-up check that every topic exists (and creates missing ones), nothing more.
            Assert.Equal(EveryTopic, acls.Resources(User(role), "Describe", "topic"));
            Assert.Equal(EveryTopic, acls.Resources(User(role), "Create", "topic"));
            Assert.Equal(["Create", "Describe", "Read", "Write"], acls.Where(a => a.Principal == User(role)).Select(a => a.Operation).Distinct().Order());
        }
        Assert.Equal(EveryTopic, acls.Resources(User("monitor"), "Describe", "topic"));
        Assert.Equal(RoleCatalog.Subscriptions.Select(s => s.Group).Order(), acls.Resources(User("monitor"), "Describe", "group"));
        Assert.All(acls.Where(a => a.Principal == User("monitor")), a => Assert.Equal("Describe", a.Operation));
        // No principal outside the chart's, no wildcard.
        Assert.All(acls, a => Assert.Contains(a.Principal, Usernames.Properties().Select(p => (string)p.Value!)));
        Assert.DoesNotContain(acls, a => a.Resource.Contains('*'));
    }

    [Fact]
    public async Task Console_replay_is_an_opt_in_that_lets_the_api_write_every_topic_and_reading_dead_letters_can_be_turned_off()
    {
        var acls = KafkaAcls.Of(await Renders.Default.With("console: { readDeadLetters: false, replayDeadLetters: true }\n").ObjectsAsync());
        Assert.DoesNotContain(acls.Resources(User(ApiRole.RoleName), "Read", "topic"), t => t.EndsWith(".dead-letter", StringComparison.Ordinal));
        var writes = acls.Resources(User(ApiRole.RoleName), "Write", "topic").ToList();
        Assert.All(EveryTopic.Where(t => !t.EndsWith(".dead-letter", StringComparison.Ordinal)), t => Assert.Contains(t, writes));
        Assert.DoesNotContain(acls.Resources(User(UsersRole.RoleName), "Write", "topic"), t => t == "order-create");
    }

    [Fact]
    public async Task The_setup_job_applies_the_acls_with_each_principals_own_password_and_the_admins()
    {
        var objects = await Renders.Default.ObjectsAsync();
        var job = objects.OfKind("Job").Single(j => j.Name().Contains("-kafka-setup-"));
        var env = job.Container()["env"]!.ToDictionary(e => (string)e["name"]!, e => e);
        var principals = Roles.All.Append("monitor").ToList();
        Assert.Equal(principals.Order(), ((string)env["PRINCIPALS"]["value"]!).Split(' ').Order());
        foreach (var name in principals)
        {
            Assert.Equal(User(name), (string?)env[$"USER_{name.ToUpperInvariant()}"]["value"]);
            var password = env[$"PASSWORD_{name.ToUpperInvariant()}"]["valueFrom"]!["secretKeyRef"]!;
            Assert.Equal(("saga-saga-demo-credentials", $"kafka-sasl-password-{name}"), ((string)password["name"]!, (string)password["key"]!));
        }
        var admin = env["ADMIN_PASSWORD"]["valueFrom"]!["secretKeyRef"]!;
        Assert.Equal(("saga-generated-credentials", "system-user-password"), ((string)admin["name"]!, (string)admin["key"]!));
        Assert.Equal("saga-admin", (string?)env["ADMIN_USER"]["value"]);
        var acls = job.SelectToken("spec.template.spec.volumes")!.Single(v => v["configMap"] is not null)["configMap"]!;
        Assert.Equal("saga-saga-demo-kafka-acls", (string?)acls["name"]);
        Assert.Contains("done < /etc/kafka-setup/acls", (string)job.Container()["args"]![0]!);
        // The admin is a super user of the broker, the services are not.
        var superUsers = ((string)ChartFiles.Values["kafka"]!["overrideConfiguration"]!["super.users"]!).Split(';');
        Assert.Contains("User:saga-admin", superUsers);
        Assert.DoesNotContain(superUsers, u => principals.Any(p => u == "User:" + User(p)));
        Assert.False((bool)ChartFiles.Values["kafka"]!["overrideConfiguration"]!["allow.everyone.if.no.acl.found"]!);
    }

    [Fact]
    public async Task A_change_of_the_acls_reruns_the_setup_job()
    {
        static async Task<string> JobName(Render render) =>
            (await render.ObjectsAsync()).OfKind("Job").Single(j => j.Name().Contains("-kafka-setup-")).Name();
        var installed = Renders.Default.With(Renders.FixedSeed);
        Assert.Equal(await JobName(installed), await JobName(installed));
        Assert.NotEqual(await JobName(installed), await JobName(installed.With("services: { statistics: { produces: [order-create] } }\n")));
    }

    /// <summary>README "Kafka ACLs" lists, per service principal, the groups and topics it reads and the topics it writes: the rendered ACLs.</summary>
    [Fact]
    public async Task The_readme_table_is_the_rendered_acls()
    {
        var acls = KafkaAcls.Of(await Renders.Default.ObjectsAsync());
        var readme = File.ReadAllText(RepoPaths.In("README.md"));
        var rows = Regex.Matches(readme, @"^\| `(?<principal>saga-[a-z]+)` \| (?<reads>[^|]*) \| (?<writes>[^|]*) \|$", RegexOptions.Multiline);
        Assert.Equal(Roles.All.Count, rows.Count);
        static IEnumerable<string> Names(string cell) => Regex.Matches(cell, "`([^`]+)`").Select(m => m.Groups[1].Value);
        foreach (Match row in rows)
        {
            var principal = row.Groups["principal"].Value;
            var reads = row.Groups["reads"].Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal(acls.Resources(principal, "Read", "group"), reads.Select(r => Names(r).First()).Order());
            // Dead-letter topics are named by the text under the table (each service writes those of what it reads, the
            // api's console reads them all).
            Assert.Equal(acls.Resources(principal, "Read", "topic").Where(t => !t.EndsWith(".dead-letter")), reads.SelectMany(r => Names(r).Skip(1)).Order());
            Assert.Equal(acls.Resources(principal, "Write", "topic").Where(t => !t.EndsWith(".dead-letter")), Names(row.Groups["writes"].Value).Order());
        }
    }
}
