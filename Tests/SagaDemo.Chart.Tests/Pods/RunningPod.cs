using System.Net;
using SagaDemo.Testing.Processes;

namespace SagaDemo.Chart.Tests.Pods;

/// <summary>One pod: its network, its container process in the sandbox, and the kubelet-like prober watching it.</summary>
public sealed class RunningPod : IAsyncDisposable
{
    RunningPod(PodTemplate template, PodNetwork network, ChildProcess process, Prober? prober)
    {
        Template = template;
        Network = network;
        Process = process;
        Prober = prober;
    }

    public PodTemplate Template { get; }
    public PodNetwork Network { get; }
    public ChildProcess Process { get; }
    public Prober? Prober { get; }
    public IPAddress Address => Network.PodAddress;

    /// <param name="appDirectory">The image content (dotnet publish output), mounted read-only at /app.</param>
    public static RunningPod Start(PodTemplate template, PodNetwork network, string appDirectory, string scratch, bool probe)
    {
        if (!template.ReadOnlyRootFilesystem)
            throw new InvalidOperationException($"{template.Name}: the chart's pods run with a read-only root filesystem");
        var root = Directory.CreateDirectory(Path.Combine(scratch, $"root-{template.Name}")).FullName;
        List<string> arguments =
        [
            "netns", "exec", network.Name, "sh", Path.Combine(AppContext.BaseDirectory, "Pods", "container-sandbox.sh"),
            root, appDirectory, template.User.ToString(), template.Group.ToString(), template.WorkingDirectory,
            .. template.MountArguments(scratch), "--",
            .. template.Environment.Select(e => $"{e.Key}={e.Value}"),
            .. template.Command,
        ];
        var process = new ChildProcess(template.Name, "ip", arguments);
        Prober? prober = null;
        if (probe)
            prober = new Prober(network.PodAddress, template.Container, _ => process.Kill());
        process.Start();
        prober?.Start();
        return new RunningPod(template, network, process, prober);
    }

    public async ValueTask DisposeAsync()
    {
        Prober?.Dispose();
        Process.Dispose();
        await Network.DisposeAsync();
    }
}
