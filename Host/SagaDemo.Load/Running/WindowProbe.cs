namespace SagaDemo.Load.Running;

/// <summary>Readings taken at the start and at the end of the measured window.</summary>
public sealed record WindowProbe(long Timestamp, TimeSpan GeneratorCpu, TimeSpan? TargetCpu, double? KafkaRecords);
