namespace SagaDemo.Kafka.Tests.Support;

/// <summary>Input of the test consumer; (OperationId, Sequence) identifies a record's effect.</summary>
public sealed record TestCommand(Guid OperationId, int Sequence, string Payload);

/// <summary>What the test consumer publishes for each command.</summary>
public sealed record TestEcho(Guid OperationId, int Sequence, string Payload);
