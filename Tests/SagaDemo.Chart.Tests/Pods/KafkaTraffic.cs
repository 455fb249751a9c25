using System.Text.RegularExpressions;

namespace SagaDemo.Chart.Tests.Pods;

/// <summary>What a running service produced and consumed, from its own /metrics (records acknowledged by Kafka, records finished per group).</summary>
public sealed record KafkaTraffic(IReadOnlySet<string> Produced, IReadOnlySet<(string Topic, string Group)> Consumed)
{
    public static async Task<KafkaTraffic> ScrapeAsync(HttpClient http, Uri metrics)
    {
        var text = await http.GetStringAsync(metrics);
        static IEnumerable<Match> Series(string text, string name) =>
            Regex.Matches(text, $@"^{name}\{{(?<labels>[^}}]*)\}} (?<value>[0-9.e+]+)$", RegexOptions.Multiline).Where(m => double.Parse(m.Groups["value"].Value) > 0);
        static string Label(Match m, string name) => Regex.Match(m.Groups["labels"].Value, $@"(?:^|,){name}=""([^""]*)""").Groups[1].Value;
        return new KafkaTraffic(
            Series(text, "sagademo_kafka_records_produced_total").Select(m => Label(m, "topic")).ToHashSet(),
            Series(text, "sagademo_kafka_records_consumed_total").Select(m => (Label(m, "topic"), Label(m, "consumergroup"))).ToHashSet());
    }
}
