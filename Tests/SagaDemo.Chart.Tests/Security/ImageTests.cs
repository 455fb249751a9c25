using SagaDemo.Chart.Tests.Rendering;
using SagaDemo.Chart.Tests.Support;

namespace SagaDemo.Chart.Tests.Security;

/// <summary>
/// The bundled Kafka and PostgreSQL run the images their Bitnami charts were released with (maintained under Bitnami
/// Secure Images), never the frozen bitnamilegacy copies or a switched-off image check by default; the local example
/// opts into the legacy copies on purpose, and the kafka-setup Job uses whatever image the bundled Kafka runs.
/// </summary>
public class ImageTests
{
    [Fact]
    public void The_defaults_name_no_legacy_image_and_keep_bitnamis_image_check()
    {
        var values = ChartFiles.Values.ToString();
        Assert.DoesNotContain("bitnamilegacy", values);
        Assert.DoesNotContain("allowInsecureImages", values);
        foreach (var chart in new[] { "kafka", "postgresql" })
            Assert.StartsWith("bitnami/", (string?)ChartFiles.Values[chart]!["image"]!["repository"]);
    }

    [Theory]
    [InlineData("default", "docker.io/bitnami/kafka:4.0.0-debian-12-r10")]
    [InlineData("values-local", "docker.io/bitnamilegacy/kafka:4.0.0-debian-12-r10")]
    public async Task The_kafka_setup_job_runs_the_bundled_kafkas_image(string render, string image)
    {
        var job = (await Renders.Named(render).ObjectsAsync()).OfKind("Job").Single(j => j.Name().Contains("-kafka-setup-"));
        Assert.Equal(image, (string?)job.Container()["image"]);
    }
}
