using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace SagaDemo.Chart.Tests.Pods;

/// <summary>
/// Forwards TCP connections from a listening address (optionally inside a pod's network namespace) to a target
/// address, the way kube-proxy forwards a Service's address to a pod. A listener opened inside a namespace stays there: the socket belongs to the namespace
/// of the thread that created it, so a dedicated thread enters the namespace (setns) just to open it. Until the
/// target is known, connections are closed at once, as a broker that is not up yet refuses them.
/// </summary>
public sealed class TcpForwarder : IDisposable
{
    const int CloneNewNet = 0x40000000;
    readonly Socket _listener;
    readonly CancellationTokenSource _stop = new();
    volatile IPEndPoint? _target;
    int _accepted;

    TcpForwarder(Socket listener, IPEndPoint? target)
    {
        _listener = listener;
        _target = target;
        _ = AcceptLoopAsync();
    }

    /// <param name="networkNamespace">A name under /var/run/netns, or null for this machine's namespace.</param>
    public static TcpForwarder Start(string? networkNamespace, IPEndPoint listen, IPEndPoint? target = null)
    {
        Socket? socket = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                if (networkNamespace is not null)
                {
                    using var ns = File.OpenHandle(Path.Combine("/var/run/netns", networkNamespace));
                    if (SetNs((int)ns.DangerousGetHandle(), CloneNewNet) != 0)
                        throw new InvalidOperationException($"setns {networkNamespace}: errno {Marshal.GetLastPInvokeError()}");
                }
                socket = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.Bind(listen);
                socket.Listen(64);
            }
            catch (Exception e)
            {
                failure = e;
            }
            // The thread ends here, still in the pod's namespace: nothing else ever runs on it.
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
            throw new InvalidOperationException($"cannot listen on {listen} in {networkNamespace ?? "this namespace"}", failure);
        return new TcpForwarder(socket!, target);
    }

    public void SetTarget(IPEndPoint target) => _target = target;

    /// <summary>Connections accepted so far: whether the pod behind the listener used this service at all.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            Interlocked.Increment(ref _accepted);
            _ = ForwardAsync(client);
        }
    }

    async Task ForwardAsync(Socket client)
    {
        using (client)
        {
            if (_target is not { } target)
                return;
            using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await upstream.ConnectAsync(target, _stop.Token);
                await using var a = new NetworkStream(client, ownsSocket: false);
                await using var b = new NetworkStream(upstream, ownsSocket: false);
                var up = a.CopyToAsync(b, _stop.Token);
                var down = b.CopyToAsync(a, _stop.Token);
                await Task.WhenAny(up, down);
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
            {
                // Either side went away: close both, as a proxy would.
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
    }

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    static extern int SetNs(int fd, int nstype);
}
