package safeguard.recover;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * GET /api/recoveries/proposal?action=…: the incident (the action covering the burst and how many events it
 * holds), when its first suspicious event happened and where that time comes from, the copy proposed and why,
 * every other candidate, and what a restore would bring back by default (Scale: paths, and where the file system is mounted and the snapshot's root linked; CSM: session; CDM: job).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Proposal(String action, String incident, String target, String kind, String restoreType, int events,
                       String firstEventAt, String firstEventFrom, Candidate proposed, String why,
                       List<Candidate> candidates, List<String> paths, String fileSystem, String fileset, String mountPoint, String root,
                       String session, String job, List<String> recoveries) {
}
