package io.retryspool.boot.autoconfigure.jpaoutbox;

import org.springframework.data.jpa.repository.JpaRepository;

/** Spring Data JPA repository of visits. */
public interface VisitRepository extends JpaRepository<Visit, Long> {
}
