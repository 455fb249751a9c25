using Newtonsoft.Json.Linq;
using SagaDemo.Chart.Tests.Rendering;
using SagaDemo.Host.Commands;
using SagaDemo.Host.Composition;
using SagaDemo.Host.RoleModules;

namespace SagaDemo.Chart.Tests.Security;

/// <summary>
/// Database logins as the chart wires them: the migration Job alone gets the migrating (DDL) login and the admin, and
/// the connection string of every stateful service, in the migrate command's keys; each service gets its own.
/// </summary>
public class DatabaseLoginTests
{
    static IReadOnlyDictionary<string, (string Secret, string Key)> SecretEnv(JObject workload) =>
        workload.Container()["env"]!.Where(e => e["valueFrom"]?["secretKeyRef"] is not null)
            .ToDictionary(e => (string)e["name"]!, e => ((string)e["valueFrom"]!["secretKeyRef"]!["name"]!, (string)e["valueFrom"]!["secretKeyRef"]!["key"]!));

    [Theory]
    [InlineData("default")]
    [InlineData("postgres-tls")]
    [InlineData("values-managed-kafka")]
    public async Task The_migration_job_limits_every_stateful_services_login_and_each_service_uses_its_own(string render)
    {
        var objects = await Renders.Named(render).ObjectsAsync();
        var job = SecretEnv(objects.OfKind("Job").Single(j => j.Name().Contains("-migrate-")));
        Assert.Equal("postgres-connection-string", job["ConnectionStrings__Postgres"].Key);
        Assert.Equal("postgres-admin-connection-string", job[MigrateCommand.AdminConnectionStringKey.Replace(":", "__")].Key);
        var logins = job.Keys.Where(k => k.StartsWith(MigrateCommand.LoginsSection.Replace(":", "__") + "__", StringComparison.Ordinal)).ToList();
        Assert.Equal(RoleCatalog.SchemaByRole.Keys.Order(), logins.Select(k => k.Split("__")[^1]).Order());

        foreach (var deployment in objects.OfKind("Deployment").Where(d => d.Role() is not null))
        {
            var env = SecretEnv(deployment);
            if (RoleCatalog.SchemaByRole.ContainsKey(deployment.Role()!))
                Assert.Equal($"postgres-connection-string-{deployment.Role()}", env["ConnectionStrings__Postgres"].Key);
            else
                Assert.DoesNotContain("ConnectionStrings__Postgres", env.Keys);
            Assert.DoesNotContain(env.Values, v => v.Key is "postgres-connection-string" or "postgres-admin-connection-string");
        }
    }

    [Fact]
    public async Task Without_the_migration_job_the_services_migrate_and_so_use_the_migrating_login()
    {
        var objects = await Renders.Named("migrations-off").ObjectsAsync();
        Assert.DoesNotContain(objects.OfKind("Job"), j => j.Name().Contains("-migrate-"));
        foreach (var deployment in objects.OfKind("Deployment").Where(d => d.Role() is not null and not "approval"))
            Assert.Equal("postgres-connection-string", SecretEnv(deployment)["ConnectionStrings__Postgres"].Key);
    }
}
