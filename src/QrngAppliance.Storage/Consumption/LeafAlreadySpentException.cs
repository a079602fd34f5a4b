namespace QrngAppliance.Storage.Consumption;

/// <summary>A consumption named a leaf that another consumption already spent; nothing was written.</summary>
public sealed class LeafAlreadySpentException(long leafIndex)
    : InvalidOperationException($"leaf {leafIndex} was already spent")
{
    public long LeafIndex { get; } = leafIndex;
}
