package io.retryspool.boot.autoconfigure.jpaoutbox;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;

/** A booked visit, as PetClinic stores one: the business row the outbox message must commit or roll back with. */
@Entity
public class Visit {

    @Id
    @GeneratedValue
    private Long id;

    private String description;

    protected Visit() {
    }

    Visit(String description) {
        this.description = description;
    }

    public Long getId() {
        return id;
    }

    public String getDescription() {
        return description;
    }
}
