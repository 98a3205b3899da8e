import Protocol

/// `vst-coord status` output: tab-separated tables, for people and for `awk`. One line per
/// job; then, for a single job with chunk detail, one line per chunk, or, for several jobs,
/// one line per busy worker (the chunks being rendered).
///
/// A job's line has WORK (renders delivered of those planned, overlaps and seam tasks included:
/// what the ETA follows) beside FRAMES (final frames encoded), and DISK (what the coordinator
/// keeps for it now / at most); an older coordinator's status shows its frames as the work and
/// `-` for the disk.
public enum StatusTable {
    public static func render(_ jobs: [JobStatus]) -> String {
        var lines = ["JOB\tSTATE\tWORK\tFRAMES\tFPS\tETA\tWORKERS\tPRI\tDISK\tMESSAGE"]
        for job in jobs {
            let eta = job.etaSeconds.map { ProgressReport.clock(.milliseconds(Int64($0 * 1000))) } ?? "-"
            let fps = (job.fps * 10).rounded() / 10
            let work = "\(job.rendersDone ?? job.framesDone)/\(job.rendersTotal ?? job.framesTotal)"
            let disk = job.diskBytes.map { now in "\(ByteCount.format(now))/\(ByteCount.format(job.peakDiskBytes ?? now))" } ?? "-"
            lines.append("\(job.job)\t\(job.state.rawValue)\t\(work)\t\(job.framesDone)/\(job.framesTotal)\t\(fps)\t\(eta)\t"
                         + "\(job.workersBusy)\t\(job.priority ?? 0)\t\(disk)\t\(job.message)")
        }
        if jobs.count == 1, let chunks = jobs[0].chunks {
            lines.append("")
            lines.append("CHUNK\tSTATE\tFRAMES\tWORKER\tFAILURES")
            for chunk in chunks {
                lines.append("\(chunk.chunk)\t\(chunk.state)\t\(chunk.framesDelivered)/\(chunk.framesTotal)\t\(chunk.worker ?? "-")\t\(chunk.failures)")
            }
        } else {
            let busy = jobs.flatMap { job in (job.chunks ?? []).compactMap { chunk in chunk.worker.map { ($0, job.job, chunk) } } }
            if !busy.isEmpty {
                lines.append("")
                lines.append("WORKER\tJOB\tCHUNK\tFRAMES")
                for (worker, job, chunk) in busy.sorted(by: { $0.0 < $1.0 }) {
                    lines.append("\(worker)\t\(job)\t\(chunk.chunk)\t\(chunk.framesDelivered)/\(chunk.framesTotal)")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
