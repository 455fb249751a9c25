using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using SagaDemo.Chart.Tests.Support;
using SagaDemo.Services.Http.Access;
using SagaDemo.Testing.Processes;

namespace SagaDemo.Chart.Tests;

/// <summary>
/// The shell script of the chart's `helm test` pod, run with sh and curl against a real host that requires API
/// keys (configured as the chart configures it) and limits POSTs: it completes a user flow with the key, settles
/// for the 401 check without one, and fails when it is not told that keys are required.
/// </summary>
public sealed class HelmTestScriptTests
{
    const string ApiKey = "helm-test-key-3f9d2c";

    [Fact]
    public async Task The_helm_test_script_passes_with_the_test_key_checks_401_without_it_and_fails_when_keys_surprise_it()
    {
        var script = Script();
        using var host = new ServiceProcess(HostExecutable.Locate(), "api,users,approval", bootstrapServers: "", new Dictionary<string, string>
        {
            ["Auth:Mode"] = "ApiKey",
            ["Auth:ApiKeys:0:ClientId"] = "helm-test",
            ["Auth:ApiKeys:0:KeyHash"] = ApiKeyVerifier.Hash(ApiKey),
            ["RateLimiting:PermitsPerSecond"] = "5",
            ["Approval:Delay"] = "00:00:00",
        });
        await host.StartAsync(TimeSpan.FromSeconds(60));
        var api = host.BaseAddress.ToString().TrimEnd('/');

        var withKey = await RunAsync(script, api, auth: "ApiKey", apiKey: ApiKey);
        Assert.True(withKey.ExitCode == 0, withKey.Output);
        Assert.Contains("a POST without credentials is refused (401)", withKey.Output);
        Assert.Contains("operation completed", withKey.Output);

        var withoutKey = await RunAsync(script, api, auth: "ApiKey", apiKey: null);
        Assert.True(withoutKey.ExitCode == 0, withoutKey.Output);
        Assert.Contains("no API key for the helm test (ApiKey): skipping the user flow", withoutKey.Output);

        // Rendered for auth.mode=None while the API wants keys: the script must notice, not pass.
        var unaware = await RunAsync(script, api, auth: null, apiKey: null);
        Assert.True(unaware.ExitCode != 0, unaware.Output);
        Assert.Contains("expected 202 Accepted", unaware.Output);
    }

    /// <summary>The script block of the pod's args, as the container's shell receives it (no template actions in it).</summary>
    static string Script()
    {
        var template = ChartFiles.Template(Path.Combine("tests", "test-user-create.yaml"));
        var block = Regex.Match(template, @"args:\n\s+- \|\n(?<body>(?:(?: {10}.*)?\n)+)").Groups["body"].Value;
        Assert.Contains("curl", block);
        Assert.DoesNotContain("{{", block);
        return string.Join('\n', block.Split('\n').Select(l => l.Length >= 10 ? l[10..] : l.TrimStart()));
    }

    static async Task<(int ExitCode, string Output)> RunAsync(string script, string api, string? auth, string? apiKey)
    {
        var info = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        info.Environment["API"] = api;
        info.Environment["ATTEMPTS"] = "60";
        info.Environment["INTERVAL"] = "0.25";
        info.Environment.Remove("AUTH");
        info.Environment.Remove("API_KEY");
        if (auth is not null)
            info.Environment["AUTH"] = auth;
        if (apiKey is not null)
            info.Environment["API_KEY"] = apiKey;
        // The pod writes its scratch files to /tmp, an emptyDir; here a temp dir stands in.
        var scratch = Directory.CreateTempSubdirectory("helm-test-");
        info.ArgumentList[1] = script.Replace("/tmp/", scratch.FullName + "/", StringComparison.Ordinal);
        try
        {
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("helm test script did not finish: " + await stdout);
            }
            return (process.ExitCode, new StringBuilder(await stdout).Append(await stderr).ToString());
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
