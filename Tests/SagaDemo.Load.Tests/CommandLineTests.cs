using SagaDemo.Load.Cli;
using SagaDemo.Load.Running;
using SagaDemo.Load.Workload;

namespace SagaDemo.Load.Tests;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("20s", 20)]
    [InlineData("1.5s", 1.5)]
    [InlineData("2m", 120)]
    [InlineData("1h", 3600)]
    [InlineData("30", 30)]
    [InlineData("00:01:00", 60)]
    public void Durations_parse_as_people_type_them(string text, double seconds)
    {
        Assert.True(DurationParser.TryParse(text, out var value));
        Assert.Equal(seconds, value.TotalSeconds, 6);
    }

    [Theory]
    [InlineData("")]
    [InlineData("fast")]
    [InlineData("-5s")]
    [InlineData("5x")]
    public void Bad_durations_are_refused(string text) => Assert.False(DurationParser.TryParse(text, out _));

    [Fact]
    public void Mix_weights_are_relative_and_pick_by_share()
    {
        Assert.True(FlowMix.TryParse("user=3, order=1", out var mix, out _));

        Assert.Equal(0.75, mix.Weights[FlowKind.User], 9);
        Assert.Equal(FlowKind.User, mix.Pick(0.0));
        Assert.Equal(FlowKind.User, mix.Pick(0.7499));
        Assert.Equal(FlowKind.Order, mix.Pick(0.75));
        Assert.Equal(FlowKind.Order, mix.Pick(0.9999));
    }

    [Fact]
    public void A_zero_weight_flow_is_never_picked()
    {
        Assert.True(FlowMix.TryParse("user=0,order=5", out var mix, out _));

        Assert.Equal(FlowKind.Order, mix.Pick(0.0));
        Assert.False(mix.Weights.ContainsKey(FlowKind.User));
    }

    [Theory]
    [InlineData("user=80,cart=20", "unknown flow 'cart'")]
    [InlineData("user", "needs a non-negative weight")]
    [InlineData("user=-1", "needs a non-negative weight")]
    [InlineData("user=1,user=2", "appears twice")]
    [InlineData("user=0", "every weight in the mix is zero")]
    public void Bad_mixes_say_what_is_wrong(string text, string expected)
    {
        Assert.False(FlowMix.TryParse(text, out _, out var error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Options_become_settings()
    {
        LoadSettings? seen = null;
        string? report = null;
        var exit = LoadCommandLine.Create((s, r, _, _) => { seen = s; report = r; return Task.FromResult(0); })
            .Parse(["--target", "http://127.0.0.1:9/", "--rate", "250", "--duration", "20s", "--warmup", "5s",
                "--mix", "user=80,order=20", "--order-skus", "apple,book", "--poll-interval", "10ms", "--report", "out"])
            .Invoke();

        Assert.Equal(0, exit);
        Assert.NotNull(seen);
        Assert.Equal(new Uri("http://127.0.0.1:9/"), seen.Target);
        Assert.Equal(250, seen.Rate);
        Assert.Null(seen.Concurrency);
        Assert.Equal(TimeSpan.FromSeconds(20), seen.Duration);
        Assert.Equal(TimeSpan.FromSeconds(5), seen.Warmup);
        Assert.Equal(0.2, seen.Mix.Weights[FlowKind.Order], 9);
        Assert.Equal(["apple", "book"], seen.OrderSkus);
        Assert.Equal(TimeSpan.FromMilliseconds(10), seen.PollInterval);
        Assert.Equal(new LoadSettings().PollMaxInterval, seen.PollMaxInterval);
        Assert.Equal("out", report);
    }

    [Theory]
    [InlineData(new[] { "--duration", "10s" }, "exactly one of --rate")]
    [InlineData(new[] { "--rate", "5", "--concurrency", "2" }, "exactly one of --rate")]
    [InlineData(new[] { "--rate", "0" }, "--rate must be")]
    [InlineData(new[] { "--concurrency", "4", "--reject-ratio", "1.5" }, "--reject-ratio")]
    [InlineData(new[] { "--rate", "5", "--poll-interval", "1s" }, "--poll-interval must be")]
    public void Invalid_combinations_exit_2_without_running(string[] args, string expected)
    {
        var ran = false;
        var error = new StringWriter();

        var exit = LoadCommandLine.Create((_, _, _, _) => { ran = true; return Task.FromResult(0); }, error).Parse(args).Invoke();

        Assert.Equal(2, exit);
        Assert.False(ran);
        Assert.Contains(expected, error.ToString());
    }

    [Theory]
    [InlineData("--mix", "user=80,shop=20")]
    [InlineData("--duration", "soon")]
    [InlineData("--order-skus", "app\"le")]
    [InlineData("--target", "not a url")]
    public void Unparseable_values_are_refused_by_the_parser(string option, string value)
    {
        var parse = LoadCommandLine.Create((_, _, _, _) => Task.FromResult(0)).Parse(["--rate", "5", option, value]);

        Assert.NotEmpty(parse.Errors);
    }
}
