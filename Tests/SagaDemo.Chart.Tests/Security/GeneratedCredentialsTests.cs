using Newtonsoft.Json.Linq;
using Npgsql;
using SagaDemo.Chart.Tests.Rendering;
using SagaDemo.Chart.Tests.Support;

namespace SagaDemo.Chart.Tests.Security;

/// <summary>
/// No fixed password anywhere: the bundled Kafka's and PostgreSQL's passwords are derived from a seed that is random
/// per install, or pinned by secrets.passwordSeed; every copy of a password (the Bitnami charts' Secret, the services'
/// Secret, the connection strings) is the same one.
/// </summary>
public class GeneratedCredentialsTests
{
    static async Task<(IReadOnlyDictionary<string, string> Bundled, IReadOnlyDictionary<string, string> Credentials)> SecretsAsync(Render render)
    {
        var objects = await render.ObjectsAsync();
        return (objects.Single("Secret", "saga-generated-credentials").Entries(), objects.Single("Secret", "saga-saga-demo-credentials").Entries());
    }

    [Fact]
    public void Values_yaml_sets_no_password()
    {
        var passwords = ChartFiles.Values.Descendants().OfType<JProperty>()
            .Where(p => p.Name.Contains("password", StringComparison.OrdinalIgnoreCase) && p.Value is JValue { Type: JTokenType.String } v && (string)v! != "")
            .Select(p => p.Path).ToList();
        Assert.True(passwords.Count == 0, "passwords in values.yaml: " + string.Join(", ", passwords));
    }

    [Fact]
    public async Task Each_install_gets_its_own_passwords_and_a_pinned_seed_gives_the_same_ones()
    {
        var first = await SecretsAsync(Renders.Default);
        var second = await SecretsAsync(Renders.Default);
        Assert.Equal(first.Credentials.Keys, second.Credentials.Keys);
        Assert.All(first.Credentials.Keys, k => Assert.NotEqual(first.Credentials[k], second.Credentials[k]));
        Assert.All(first.Bundled.Keys, k => Assert.NotEqual(first.Bundled[k], second.Bundled[k]));
        Assert.True(first.Bundled["password-seed"].Length >= 32);

        var pinned = Renders.Default.With(Renders.FixedSeed);
        Assert.Equal((await SecretsAsync(pinned)).Credentials, (await SecretsAsync(pinned)).Credentials);
    }

    [Fact]
    public async Task Every_copy_of_a_password_is_the_same_and_no_two_logins_share_one()
    {
        var (bundled, credentials) = await SecretsAsync(Renders.Default);
        var values = ChartFiles.Values;

        // Kafka: the Bitnami chart's list, in the order of its users, holds each service's password.
        var users = values["kafka"]!["sasl"]!["client"]!["users"]!.Values<string>().ToList();
        var passwords = bundled["client-passwords"].Split(',');
        Assert.Equal(users.Count, passwords.Length);
        Assert.Equal(passwords[0], bundled["system-user-password"]);
        foreach (var (name, username) in ((JObject)values["kafkaConnection"]!["sasl"]!["usernames"]!).Properties().Select(p => (p.Name, (string)p.Value!)))
            Assert.Equal(passwords[users.IndexOf(username)], credentials[$"kafka-sasl-password-{name}"]);

        // PostgreSQL: the superuser and the migrating login as the Bitnami chart sets them, one login per stateful service.
        NpgsqlConnectionStringBuilder Login(string key) => new(credentials[key]);
        Assert.Equal(("postgres", bundled["postgres-password"]), (Login("postgres-admin-connection-string").Username, Login("postgres-admin-connection-string").Password));
        Assert.Equal(("sagademo", bundled["password"]), (Login("postgres-connection-string").Username, Login("postgres-connection-string").Password));
        foreach (var role in new[] { "api", "users", "orders", "warehouse", "payment", "statistics" })
            Assert.Equal($"sagademo_{role}", Login($"postgres-connection-string-{role}").Username);

        var all = passwords.Concat([bundled["inter-broker-password"], bundled["controller-password"]])
            .Concat(credentials.Where(c => c.Key.StartsWith("postgres-connection-string", StringComparison.Ordinal) || c.Key == "postgres-admin-connection-string")
                .Select(c => new NpgsqlConnectionStringBuilder(c.Value).Password!)).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.All(all, p => Assert.Matches("^[0-9a-f]{40}$", p));
    }

    /// <summary>The Bitnami charts read their Secret by a name they render from their own context: only .Release.Name may go into it.</summary>
    [Theory]
    [InlineData("saga", "saga-generated-credentials")]
    [InlineData(Renders.LongRelease, "payments-team-saga-orchestration-prod-eu-generated-credentials")]
    public async Task The_bundled_charts_find_their_secret_under_a_name_built_from_the_release_alone(string release, string name)
    {
        var objects = await (Renders.Default with { Release = release }).ObjectsAsync();
        Assert.Single(objects.OfKind("Secret"), s => s.Name() == name);
        Assert.True(name.Length <= 63);
        const string fromSubchart = "{{ include \"saga-demo.generatedSecretName\" . }}";
        Assert.Equal(fromSubchart, (string?)ChartFiles.Values["kafka"]!["sasl"]!["existingSecret"]);
        Assert.Equal(fromSubchart, (string?)ChartFiles.Values["postgresql"]!["auth"]!["existingSecret"]);
        Assert.DoesNotContain(".Values", ChartFiles.Template("_helpers.tpl").Split("define \"saga-demo.generatedSecretName\"")[1].Split("{{- end }}")[0]);
    }
}
