using QrngAppliance.Entropy.Assessment.Iid;

namespace QrngAppliance.Entropy.Assessment.Restart;

/// <summary>SP 800-90B §3.1.4 restart test on a 1000 × 1000 restart matrix (row i = the first 1000 samples after restart i).</summary>
public static class RestartTest
{
    public const int Rows = 1000;
    public const int Columns = 1000;

    /// <param name="matrix">The row dataset: 1,000,000 samples, restart after restart.</param>
    /// <param name="hI">The initial entropy estimate H_I per sample.</param>
    /// <param name="iid">Assess rows and columns with the IID track (MCV plus the §5 tests) instead of the ten estimators.</param>
    public static RestartResult Run(
        SampleData matrix, double hI, bool iid = false, ulong seed = 0, int maxParallelism = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.Length != Rows * Columns)
        {
            throw new ArgumentException($"a restart matrix holds {Rows * Columns} samples ({Rows} restarts x {Columns}), not {matrix.Length}", nameof(matrix));
        }

        if (double.IsNaN(hI) || hI < 0 || hI > matrix.BitsPerSample)
        {
            throw new ArgumentException($"H_I must be between 0 and {matrix.BitsPerSample} bits, got {hI}", nameof(hI));
        }

        if (matrix.AlphabetSize <= 1)
        {
            throw new ArgumentException("the samples hold a single symbol: no entropy can be credited", nameof(matrix));
        }

        var transposed = new byte[matrix.Length];
        var raw = matrix.RawSymbols;
        for (var i = 0; i < Rows; i++)
        {
            for (var j = 0; j < Columns; j++)
            {
                transposed[(j * Rows) + i] = raw[(i * Columns) + j];
            }
        }

        var columns = SampleData.FromSamples(transposed, matrix.BitsPerSample);
        var xRows = MaxCount(matrix.Symbols);
        var xColumns = MaxCount(columns.Symbols);
        var cutoff = RestartCutoff.Compute(hI, Columns, Rows, Columns);
        if (Math.Max(xRows, xColumns) > cutoff)
        {
            return new RestartResult(hI, cutoff, xRows, xColumns, null, null, null, null, null, null);
        }

        if (iid)
        {
            var rowsIid = IidAssessment.Run(matrix, seed, maxParallelism, null, cancellationToken);
            var columnsIid = IidAssessment.Run(columns, seed ^ 0x5DEECE66DUL, maxParallelism, null, cancellationToken);
            var hR = Math.Min(matrix.BitsPerSample, rowsIid.HOriginalMcv);
            var hC = Math.Min(matrix.BitsPerSample, columnsIid.HOriginalMcv);
            return new RestartResult(hI, cutoff, xRows, xColumns, null, null, rowsIid, columnsIid, hR, hC);
        }

        var rowsResult = NonIidAssessment.Run(matrix, includeBitstring: false, maxParallelism, null, cancellationToken);
        var columnsResult = NonIidAssessment.Run(columns, includeBitstring: false, maxParallelism, null, cancellationToken);
        return new RestartResult(hI, cutoff, xRows, xColumns, rowsResult, columnsResult, null, null, rowsResult.HOriginal, columnsResult.HOriginal);
    }

    /// <summary>The largest count of one symbol within a row of the (row-major) matrix.</summary>
    private static int MaxCount(byte[] data)
    {
        var counts = new int[256];
        var max = 0;
        for (var i = 0; i < Rows; i++)
        {
            Array.Clear(counts);
            for (var j = 0; j < Columns; j++)
            {
                var c = ++counts[data[(i * Columns) + j]];
                if (c > max)
                {
                    max = c;
                }
            }
        }

        return max;
    }
}
