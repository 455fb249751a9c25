using System.Net;
using SagaDemo.Testing;

namespace SagaDemo.Chart.Tests.Pods;

/// <summary>
/// A pod's network: its own namespace (deploy-&lt;run&gt;-&lt;n&gt;) joined to this machine by a veth pair, the pod at
/// 10.&lt;net&gt;.&lt;n&gt;.2 and the machine's end ("the node") at .1, where the cluster's services are forwarded.
/// /etc/netns/&lt;ns&gt;/hosts, which `ip netns exec` puts over /etc/hosts, resolves the service names to the node end.
/// Dispose removes namespace, veth and hosts file, whatever happened before.
/// </summary>
public sealed class PodNetwork : IAsyncDisposable
{
    public const string Prefix = "deploy-";

    PodNetwork(string name, string hostInterface, IPAddress node, IPAddress pod)
    {
        Name = name;
        HostInterface = hostInterface;
        NodeAddress = node;
        PodAddress = pod;
    }

    public string Name { get; }
    public string HostInterface { get; }
    public IPAddress NodeAddress { get; }
    public IPAddress PodAddress { get; }

    string HostsDirectory => Path.Combine("/etc/netns", Name);

    /// <param name="run">Short id of this test run (letters and digits), so parallel runs never share a name.</param>
    public static async Task<PodNetwork> CreateAsync(string run, int index, int subnet, string podName, IReadOnlyList<string> serviceNames)
    {
        var name = $"{Prefix}{run}-{index}";
        var host = $"dp{run}{index}h";
        var peer = $"dp{run}{index}p";
        var network = new PodNetwork(name, host, IPAddress.Parse($"10.{subnet}.{index}.1"), IPAddress.Parse($"10.{subnet}.{index}.2"));
        try
        {
            await IpAsync("netns", "add", name);
            await IpAsync("link", "add", host, "type", "veth", "peer", "name", peer);
            await IpAsync("link", "set", peer, "netns", name);
            await IpAsync("addr", "add", $"{network.NodeAddress}/24", "dev", host);
            await IpAsync("link", "set", host, "up");
            await IpAsync("-n", name, "addr", "add", $"{network.PodAddress}/24", "dev", peer);
            await IpAsync("-n", name, "link", "set", peer, "up");
            await IpAsync("-n", name, "link", "set", "lo", "up");
            Directory.CreateDirectory(network.HostsDirectory);
            await File.WriteAllTextAsync(Path.Combine(network.HostsDirectory, "hosts"),
                $"127.0.0.1 localhost\n{network.PodAddress} {podName}\n{network.NodeAddress} {string.Join(' ', serviceNames)}\n");
            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    /// <summary>A free /16 of 10.0.0.0/8 for this run's pods: none of this machine's routes may overlap it.</summary>
    public static async Task<int> FreeSubnetAsync()
    {
        var routes = (await ProcessRunner.RunAsync("ip", ["-4", "route", "show", "table", "all"], "/", TimeSpan.FromSeconds(10))).Output;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var candidate = Random.Shared.Next(100, 250);
            if (!routes.Contains($"10.{candidate}.", StringComparison.Ordinal))
                return candidate;
        }
        throw new InvalidOperationException("no free 10.x.0.0/16 for the pods");
    }

    public async ValueTask DisposeAsync()
    {
        await ProcessRunner.RunAsync("ip", ["netns", "del", Name], "/", TimeSpan.FromSeconds(10));
        await ProcessRunner.RunAsync("ip", ["link", "del", HostInterface], "/", TimeSpan.FromSeconds(10));
        if (Directory.Exists(HostsDirectory))
            Directory.Delete(HostsDirectory, recursive: true);
    }

    static async Task IpAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync("ip", arguments, "/", TimeSpan.FromSeconds(10));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)}: {result.Output}");
    }
}
