using SagaDemo.Load.Measurement;

namespace SagaDemo.Load.Running;

/// <summary>A finished run: its settings, the recorder and the readings around the measured window.</summary>
public sealed record LoadResult(
    LoadSettings Settings,
    RunRecorder Recorder,
    DateTimeOffset StartedAt,
    double WindowSeconds,
    double DrainSeconds,
    double WallSeconds,
    TimeSpan GeneratorCpuTotal,
    WindowProbe WindowStart,
    WindowProbe WindowEnd,
    double MaxScheduleLagMs,
    long? TargetPeakRssKiB,
    long? TargetRssKiB,
    bool StoppedEarly);
