using System.Diagnostics;
using System.Text;

namespace SagaDemo.Testing.Processes;

/// <summary>
/// One long-running child process (a SagaDemo.Host instance): output kept for failure messages, killed like
/// a crash (SIGKILL to the whole tree), started again with the same arguments. Dispose always kills it, and
/// so does the test host's exit, so no process outlives a failed test.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    const int MaxOutputLines = 400;

    readonly string _executable;
    readonly IReadOnlyList<string> _arguments;
    readonly IReadOnlyDictionary<string, string> _environment;
    readonly Queue<string> _output = new();
    readonly List<Action<string>> _lineWatchers = [];
    Process? _process;
    bool _disposed;

    /// <param name="environment">Variables set for the child on top of this process's.</param>
    public ChildProcess(string name, string executable, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        Name = name;
        _executable = executable;
        _arguments = arguments;
        _environment = environment ?? new Dictionary<string, string>();
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    public string Name { get; }

    public int? Id => _process?.Id;

    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>The exit code once the process has exited, else null.</summary>
    public int? ExitCode => _process is { HasExited: true } process ? process.ExitCode : null;

    public static ChildProcess Dotnet(string name, string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        new(name, "dotnet", [dll, .. arguments], environment);

    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_process is { HasExited: false })
            throw new InvalidOperationException($"{Name} is already running.");
        var info = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in _arguments)
            info.ArgumentList.Add(argument);
        info.Environment["LC_ALL"] = "C";
        info.Environment["DOTNET_gcServer"] = "0";
        foreach (var (variable, value) in _environment)
            info.Environment[variable] = value;
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        InheritedDescriptors.MarkCloseOnExec();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Record($"--- started {Name} (pid {process.Id}) ---");
    }

    /// <summary>Waits for the first output line matching <paramref name="match"/> and returns what it selects.</summary>
    public async Task<string> WaitForLineAsync(Func<string, string?> match, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            foreach (var line in _output)
                if (match(line) is { } hit)
                    return hit;
            _lineWatchers.Add(line => { if (match(line) is { } hit) found.TrySetResult(hit); });
        }
        var deadline = DateTime.UtcNow + timeout;
        while (!found.Task.IsCompleted)
        {
            if (HasExited)
                throw new InvalidOperationException($"{Name} exited before printing the expected line:\n{Output()}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{Name} did not print the expected line within {timeout}:\n{Output()}");
            await Task.WhenAny(found.Task, Task.Delay(100));
        }
        return await found.Task;
    }

    /// <summary>kill -9 (the whole process tree) and wait until it is gone.</summary>
    public void Kill()
    {
        if (_process is not { } process)
            return;
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
        Record($"--- killed {Name} ---");
    }

    /// <summary>The last output lines (stdout and stderr interleaved).</summary>
    public string Output()
    {
        lock (_output)
            return string.Join('\n', _output);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        Kill();
        _process?.Dispose();
    }

    void OnProcessExit(object? sender, EventArgs e) => Kill();

    void OnLine(string? line)
    {
        if (line is not null)
            Record(line);
    }

    void Record(string line)
    {
        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > MaxOutputLines)
                _output.Dequeue();
            foreach (var watcher in _lineWatchers)
                watcher(line);
        }
    }
}
