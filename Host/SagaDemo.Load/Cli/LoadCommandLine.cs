using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using SagaDemo.Load.Running;
using SagaDemo.Load.Workload;

namespace SagaDemo.Load.Cli;

/// <summary>The command line: every option, its default, and how it becomes <see cref="LoadSettings"/>.</summary>
public static partial class LoadCommandLine
{
    static readonly LoadSettings Defaults = new();

    public static readonly Option<Uri> Target = new("--target")
    {
        Description = "Base URL of the SagaDemo API.",
        DefaultValueFactory = _ => Defaults.Target,
        CustomParser = r => Uri.TryCreate(r.Tokens[0].Value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri : Error<Uri>(r, $"--target '{r.Tokens[0].Value}' is not an http(s) URL"),
    };

    public static readonly Option<double?> Rate = new("--rate")
    {
        Description = "Open loop: start this many operations per second on a fixed schedule, whatever the target's speed.",
    };

    public static readonly Option<int?> Concurrency = new("--concurrency")
    {
        Description = "Closed loop: this many workers, each starting its next operation when its previous one finished.",
    };

    public static readonly Option<TimeSpan> Duration = DurationOption("--duration", "Length of the measured window (e.g. 60s, 2m).", Defaults.Duration);
    public static readonly Option<TimeSpan> Warmup = DurationOption("--warmup", "Load before the measured window; not counted.", Defaults.Warmup);
    public static readonly Option<TimeSpan> Drain = DurationOption("--drain",
        "After the window, how long accepted operations may still finish before they count as timed out.", Defaults.Drain);

    public static readonly Option<FlowMix> Mix = new("--mix")
    {
        Description = "Flow mix as relative weights, e.g. user=80,order=20. Default: users only (warehouse stock is finite).",
        DefaultValueFactory = _ => FlowMix.Default,
        CustomParser = r => FlowMix.TryParse(r.Tokens[0].Value, out var mix, out var error) ? mix : Error<FlowMix>(r, $"--mix: {error}"),
    };

    public static readonly Option<double> RejectRatio = new("--reject-ratio")
    {
        Description = $"Share of users (0..1) named '{RequestBodies.DeniedName}', which the approval service denies.",
        DefaultValueFactory = _ => 0,
    };

    public static readonly Option<string[]> OrderSkus = new("--order-skus")
    {
        Description = "SKUs orders buy, round robin (comma list). Stock is finite: apple 1000, book 200, keyboard 50 by default; " +
            "orders past it fail 'out of stock'.",
        DefaultValueFactory = _ => [.. RequestBodies.DefaultOrderSkus],
        CustomParser = r =>
        {
            var skus = r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
            return skus.Length > 0 && skus.All(s => SkuPattern().IsMatch(s))
                ? skus : Error<string[]>(r, "--order-skus takes SKUs of letters, digits, '-', '_' and '.'");
        },
    };

    public static readonly Option<int> OrderQuantity = new("--order-quantity")
    {
        Description = "Quantity of each order's one item.",
        DefaultValueFactory = _ => Defaults.OrderQuantity,
    };

    public static readonly Option<TimeSpan> PollInterval = DurationOption("--poll-interval",
        "First wait before polling an accepted operation; latency includes up to one interval.", Defaults.PollInterval);
    public static readonly Option<TimeSpan> PollMaxInterval = DurationOption("--poll-max-interval",
        "Longest wait between polls of one operation (the wait grows x1.25 per poll).", Defaults.PollMaxInterval);

    public static readonly Option<int> PollConcurrency = new("--poll-concurrency")
    {
        Description = "Status requests in flight at once.",
        DefaultValueFactory = _ => Defaults.PollConcurrency,
    };

    public static readonly Option<int> Connections = new("--connections")
    {
        Description = "HTTP connections to the target.",
        DefaultValueFactory = _ => Defaults.Connections,
    };

    public static readonly Option<int> MaxInFlight = new("--max-in-flight")
    {
        Description = "Open loop: arrivals beyond this many unfinished operations are skipped (and reported).",
        DefaultValueFactory = _ => Defaults.MaxInFlight,
    };

    public static readonly Option<string?> Report = new("--report")
    {
        Description = "Directory for report.json and report.html.",
    };

    public static readonly Option<Uri?> MetricsUrl = new("--metrics-url")
    {
        Description = "The target's Prometheus /metrics; Kafka events/s are measured from its produced-records counter, " +
            "else estimated from finished sagas.",
        CustomParser = r => Uri.TryCreate(r.Tokens[0].Value, UriKind.Absolute, out var uri)
            ? uri : Error<Uri?>(r, $"--metrics-url '{r.Tokens[0].Value}' is not an absolute URL"),
    };

    public static readonly Option<string> KafkaMetric = new("--kafka-metric")
    {
        Description = "Counter of produced Kafka records at --metrics-url (summed over its labels).",
        DefaultValueFactory = _ => Defaults.KafkaMetric,
    };

    public static readonly Option<int?> TargetPid = new("--target-pid")
    {
        Description = "Process id of the target on this machine: its CPU use and peak memory (VmHWM) go into the report.",
    };

    public static readonly Option<bool> NoRetryAfter = new("--no-retry-after")
    {
        Description = "Count a create shed with 503/429 as rejected instead of sending it again after its Retry-After.",
    };

    public static readonly Option<bool> NoLive = new("--no-live")
    {
        Description = "No live table; print a progress line every 5 s instead.",
    };

    /// <param name="errors">Where invalid option combinations are reported; standard error by default.</param>
    public static RootCommand Create(Func<LoadSettings, string?, bool, CancellationToken, Task<int>> run, TextWriter? errors = null)
    {
        var root = new RootCommand("SagaDemo load generator: POSTs operations at a rate or concurrency, polls them to their " +
            "final status, and reports throughput, latency and failures (terminal summary, report.json, report.html).")
        {
            Target, Rate, Concurrency, Duration, Warmup, Drain, Mix, RejectRatio, OrderSkus, OrderQuantity, PollInterval,
            PollMaxInterval, PollConcurrency, Connections, MaxInFlight, Report, MetricsUrl, KafkaMetric, TargetPid, NoRetryAfter, NoLive,
        };
        root.SetAction(async (parse, ct) =>
        {
            var settings = ToSettings(parse);
            var problems = Validate(settings);
            if (problems.Count == 0)
                return await run(settings, parse.GetValue(Report), parse.GetValue(NoLive), ct);
            foreach (var error in problems)
                await (errors ?? System.Console.Error).WriteLineAsync(error);
            return 2;
        });
        return root;
    }

    public static LoadSettings ToSettings(ParseResult parse) => new()
    {
        Target = parse.GetValue(Target)!,
        Rate = parse.GetValue(Rate),
        Concurrency = parse.GetValue(Concurrency),
        Duration = parse.GetValue(Duration),
        Warmup = parse.GetValue(Warmup),
        Drain = parse.GetValue(Drain),
        Mix = parse.GetValue(Mix)!,
        RejectRatio = parse.GetValue(RejectRatio),
        OrderSkus = parse.GetValue(OrderSkus)!,
        OrderQuantity = parse.GetValue(OrderQuantity),
        PollInterval = parse.GetValue(PollInterval),
        PollMaxInterval = parse.GetValue(PollMaxInterval),
        PollConcurrency = parse.GetValue(PollConcurrency),
        Connections = parse.GetValue(Connections),
        MaxInFlight = parse.GetValue(MaxInFlight),
        MetricsUrl = parse.GetValue(MetricsUrl),
        KafkaMetric = parse.GetValue(KafkaMetric)!,
        TargetPid = parse.GetValue(TargetPid),
        HonourRetryAfter = !parse.GetValue(NoRetryAfter),
    };

    /// <summary>Checks that the options make a runnable load; each problem is one message naming its option.</summary>
    public static IReadOnlyList<string> Validate(LoadSettings s)
    {
        var errors = new List<string>();
        if (s.Rate is null == s.Concurrency is null)
            errors.Add("give exactly one of --rate N (open loop) and --concurrency N (closed loop)");
        if (s.Rate is <= 0 || s.Rate is { } rate && (double.IsNaN(rate) || double.IsInfinity(rate)))
            errors.Add("--rate must be a number above 0");
        if (s.Concurrency is <= 0)
            errors.Add("--concurrency must be at least 1");
        if (s.Duration <= TimeSpan.Zero)
            errors.Add("--duration must be above 0");
        if (s.RejectRatio is < 0 or > 1 || double.IsNaN(s.RejectRatio))
            errors.Add("--reject-ratio must be between 0 and 1");
        if (s.OrderQuantity <= 0)
            errors.Add("--order-quantity must be at least 1");
        if (s.PollInterval <= TimeSpan.Zero || s.PollMaxInterval < s.PollInterval)
            errors.Add("--poll-interval must be above 0 and at most --poll-max-interval");
        if (s.PollConcurrency <= 0)
            errors.Add("--poll-concurrency must be at least 1");
        if (s.Connections <= 0)
            errors.Add("--connections must be at least 1");
        if (s.MaxInFlight <= 0)
            errors.Add("--max-in-flight must be at least 1");
        return errors;
    }

    static Option<TimeSpan> DurationOption(string name, string description, TimeSpan defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => DurationParser.TryParse(r.Tokens[0].Value, out var value)
            ? value : Error<TimeSpan>(r, $"{name} '{r.Tokens[0].Value}' is not a duration (e.g. 500ms, 20s, 2m)"),
    };

    static T Error<T>(ArgumentResult r, string message)
    {
        r.AddError(message);
        return default!;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex SkuPattern();
}
