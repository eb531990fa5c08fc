package io.retryspool.storage;

import io.retryspool.Count;
import io.retryspool.MessageMetadata;
import io.retryspool.QueueState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static io.retryspool.QueueState.ACTIVE;
import static io.retryspool.QueueState.ARCHIVED;
import static io.retryspool.QueueState.BOUNCE;
import static io.retryspool.QueueState.DEFERRED;
import static io.retryspool.QueueState.HOLD;
import static io.retryspool.QueueState.INCOMING;
import static io.retryspool.storage.TestMessages.T0;
import static io.retryspool.storage.TestMessages.at;
import static io.retryspool.storage.TestMessages.id;
import static io.retryspool.storage.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The contract of the bulk operations every {@link MetaStore} fulfils ({@link MetaStore#countMatching},
 * {@link MetaStore#moveMatching}, {@link MetaStore#deleteMatching}) and of its filtered listing
 * ({@link MetaStore#listMatching}): the same criteria on every store, including the ASCII-only case folding of error
 * texts and the exact comparison of destinations; windows walked by keyset; a listing's page examining a bounded
 * number of rows; every write a compare-and-set that skips what changed and never touches ACTIVE messages. A
 * backend's test class extends this one; every test starts from an empty store.
 */
public abstract class AbstractMetaStoreSelectionContractTests {

    private static final String OWNER = "instance-a";
    private static final Duration LEASE = Duration.ofSeconds(300);

    private MetaStore store;

    /**
     * Creates the store under test. It must be empty.
     *
     * @return an empty store
     */
    protected abstract MetaStore createStore();

    /**
     * Releases what {@link #createStore()} set up; called after every test. Does nothing by default.
     *
     * @param store the store the test used
     */
    protected void destroyStore(MetaStore store) {
    }

    @BeforeEach
    void createStoreUnderTest() {
        store = createStore();
        assertThat(store.countByState().values()).as("a fresh store must be empty").containsOnly(0L);
    }

    @AfterEach
    void destroyStoreUnderTest() {
        destroyStore(store);
    }

    // ---------------------------------------------------------------- countMatching: the criteria

    @Test
    void aSelectionCountsOnlyTheMessagesOfItsState() {
        insert(message(1).build());
        insert(message(2).state(DEFERRED).build());
        insert(message(3).state(DEFERRED).build());
        insert(message(4).state(HOLD).build());
        insert(message(5).build());
        store.claimById(id(5), EnumSet.of(INCOMING), OWNER, T0, LEASE);

        assertThat(store.countMatching(MessageSelection.allIn(DEFERRED))).isEqualTo(2);
        assertThat(store.countMatching(MessageSelection.allIn(INCOMING))).isEqualTo(1);
        assertThat(store.countMatching(MessageSelection.allIn(ACTIVE))).isEqualTo(1);
        assertThat(store.countMatching(MessageSelection.allIn(ARCHIVED))).isZero();
    }

    @Test
    void everyHeaderCriterionMustHoldWithExactlyItsValue() {
        insert(message(1).header("tenant", "acme").header("kind", "mail").build());
        insert(message(2).header("tenant", "acme").header("kind", "sms").build());
        insert(message(3).header("tenant", "ACME").header("kind", "mail").build());
        insert(message(4).header("kind", "mail").build());
        insert(message(5).header("Tenant", "acme").header("kind", "mail").build());

        assertThat(count(INCOMING, Map.of("tenant", "acme"), null, null)).isEqualTo(2);
        assertThat(count(INCOMING, Map.of("tenant", "acme", "kind", "mail"), null, null)).isEqualTo(1);
        assertThat(count(INCOMING, Map.of("kind", "mail"), null, null)).isEqualTo(4);
        assertThat(count(INCOMING, Map.of("tenant", "acm"), null, null)).as("no prefix match").isZero();
        assertThat(count(INCOMING, Map.of("missing", ""), null, null)).as("an absent header is not empty").isZero();
    }

    @Test
    void headerCriteriaMatchNamesAndValuesWithQuotesAndNonAsciiCharacters() {
        insert(message(1).header("x-\"quoted\".name", "Grüße \"ü\" \\ 😀").build());
        insert(message(2).header("x-\"quoted\".name", "Grüße").build());

        assertThat(count(INCOMING, Map.of("x-\"quoted\".name", "Grüße \"ü\" \\ 😀"), null, null)).isEqualTo(1);
        assertThat(count(INCOMING, Map.of("x-\"quoted\".name", "GRÜSSE"), null, null)).isZero();
    }

    @Test
    void errorTextMatchesIgnoringTheCaseOfAsciiLettersOnly() {
        insertDeferred(1, "java.net.ConnectException: Connection REFUSED by mx.example.com");
        insertDeferred(2, "Zustellung fehlgeschlagen: Überlastung");
        insertDeferred(3, "Échec de livraison");
        insertDeferred(4, null);

        assertThat(countWithError("refused")).isEqualTo(1);
        assertThat(countWithError("CONNECTION refused BY")).isEqualTo(1);
        assertThat(countWithError("Überlastung")).isEqualTo(1);
        assertThat(countWithError("ÜBERLASTUNG")).as("the ASCII letters fold, Ü matches itself").isEqualTo(1);
        assertThat(countWithError("überlastung")).as("ü is not an ASCII letter: it does not match Ü").isZero();
        assertThat(countWithError("ZUSTELLUNG")).as("ASCII letters fold around other characters").isEqualTo(1);
        assertThat(countWithError("échec")).isZero();
        assertThat(countWithError("Échec DE")).isEqualTo(1);
        assertThat(countWithError("e")).as("a message without an error never matches").isEqualTo(3);
    }

    @Test
    void errorTextTreatsLikeWildcardsAndBackslashesAsPlainCharacters() {
        insertDeferred(1, "disk 100% full");
        insertDeferred(2, "disk 1000 full");
        insertDeferred(3, "bad file_name in C:\\spool");
        insertDeferred(4, "bad filexname");

        assertThat(countWithError("0% f")).isEqualTo(1);
        assertThat(countWithError("%")).isEqualTo(1);
        assertThat(countWithError("file_name")).isEqualTo(1);
        assertThat(countWithError("_")).isEqualTo(1);
        assertThat(countWithError("c:\\SPOOL")).isEqualTo(1);
        assertThat(countWithError("\\")).isEqualTo(1);
    }

    @Test
    void anAgeCriterionSelectsMessagesCreatedStrictlyBeforeIt() {
        insert(message(1).created(at(10)).build());
        insert(message(2).created(at(20)).build());
        insert(message(3).created(at(30)).build());

        assertThat(count(INCOMING, Map.of(), at(20), null)).isEqualTo(1);
        assertThat(count(INCOMING, Map.of(), at(21), null)).isEqualTo(2);
        assertThat(count(INCOMING, Map.of(), at(10), null)).isZero();
    }

    @Test
    void aDestinationCriterionSelectsExactlyTheMessagesWithThatDestinationInItsState() {
        insert(message(1).destination("mx.example.com").build());
        insert(message(2).destination("mx.example.com").build());
        insert(message(3).destination("MX.example.com").build());
        insert(message(4).destination("mx.example.com ").build());
        insert(message(5).destination("mx.example").build());
        insert(message(6).build());
        insert(message(7).state(DEFERRED).destination("mx.example.com").build());
        MessageSelection incoming = destination(INCOMING, "mx.example.com");

        assertThat(store.countMatching(incoming)).isEqualTo(2);
        assertThat(store.countMatching(incoming, 100)).as("counted from a sample").isEqualTo(Count.exact(2));
        assertThat(ids(store.listMatching(incoming, null, 10, 10))).containsExactly(id(1), id(2));
        assertThat(store.countMatching(destination(DEFERRED, "mx.example.com"))).isEqualTo(1);
        assertThat(store.countMatching(destination(INCOMING, "mx.example.com "))).as("trailing spaces count")
                .isEqualTo(1);
        assertThat(store.countMatching(destination(INCOMING, "mx.example."))).as("no prefix match").isZero();
        assertThat(store.countMatching(destination(HOLD, "mx.example.com"))).isZero();
    }

    // ---------------------------------------------------------------- moveMatching

    @Test
    void moveWalksTheSelectionInWindowsAndMovesOnlyTheMatchingMessages() {
        for (int n = 1; n <= 10; n++) {
            insert(message(n).created(at(n)).header("tenant", n % 3 == 0 ? "other" : "acme").build());
        }
        MessageSelection acme = new MessageSelection(INCOMING, Map.of("tenant", "acme"), null, null, null);

        List<SelectionBatch> batches = new ArrayList<>();
        SelectionKey after = null;
        do {
            SelectionBatch batch = store.moveMatching(acme, after, 4, HOLD, at(100), null);
            batches.add(batch);
            after = batch.next();
        } while (after != null);

        assertThat(batches).extracting(SelectionBatch::changed).containsExactly(
                List.of(id(1), id(2), id(4)), List.of(id(5), id(7), id(8)), List.of(id(10)));
        assertThat(batches.get(0).next()).isEqualTo(new SelectionKey(at(4), id(4)));
        assertThat(store.countMatching(MessageSelection.allIn(HOLD))).isEqualTo(7);
        assertThat(store.countMatching(MessageSelection.allIn(INCOMING))).isEqualTo(3);
        assertThat(stored(id(3)).state()).isEqualTo(INCOMING);
        assertThat(stored(id(1)).updated()).isEqualTo(at(100));
    }

    @Test
    void moveByDestinationMovesOnlyTheMessagesWithThatDestinationInTheSelectionsState() {
        for (int n = 1; n <= 6; n++) {
            insert(message(n).created(at(n)).destination(n % 2 == 0 ? "hooks.example.com" : "other.example.com")
                    .build());
        }
        insert(message(7).created(at(7)).build());
        insert(message(8).state(DEFERRED).created(at(8)).destination("hooks.example.com").build());
        MessageSelection hooks = destination(INCOMING, "hooks.example.com");

        List<String> moved = new ArrayList<>();
        SelectionKey after = null;
        do {
            SelectionBatch batch = store.moveMatching(hooks, after, 3, HOLD, at(100), null);
            moved.addAll(batch.changed());
            after = batch.next();
        } while (after != null);

        assertThat(moved).containsExactly(id(2), id(4), id(6));
        assertThat(store.countMatching(MessageSelection.allIn(HOLD))).isEqualTo(3);
        assertThat(stored(id(1)).state()).isEqualTo(INCOMING);
        assertThat(stored(id(7)).state()).as("no destination").isEqualTo(INCOMING);
        assertThat(stored(id(8)).state()).as("another state").isEqualTo(DEFERRED);
    }

    @Test
    void aWindowEndsTheWalkOnlyWhenItIsNotFull() {
        insert(message(1).build());
        insert(message(2).build());

        SelectionBatch full = store.moveMatching(MessageSelection.allIn(INCOMING), null, 2, HOLD, at(5), null);
        SelectionBatch empty = store.moveMatching(MessageSelection.allIn(INCOMING), full.next(), 2, HOLD, at(5), null);

        assertThat(full.changed()).containsExactly(id(1), id(2));
        assertThat(full.next()).isEqualTo(new SelectionKey(T0, id(2)));
        assertThat(empty).isEqualTo(new SelectionBatch(List.of(), null));
    }

    @Test
    void movingIntoIncomingMakesMessagesDueWithAFreshBudgetAsASingleMoveDoes() {
        insert(message(1).state(DEFERRED).attempts(7).nextRetry(at(9_000)).lastError("timeout").build());

        SelectionBatch batch = store.moveMatching(MessageSelection.allIn(DEFERRED), null, 10, INCOMING, at(50), at(50));
        Claim claim = store.claim(new ClaimRequest(EnumSet.of(INCOMING), at(60), 10, OWNER, LEASE)).get(0);

        assertThat(batch.changed()).containsExactly(id(1));
        assertThat(claim.metadata().attempts()).as("the first attempt of the fresh budget").isEqualTo(1);
        assertThat(claim.metadata().nextRetry()).isEqualTo(at(50));
        assertThat(claim.metadata().created()).isEqualTo(T0);
        assertThat(claim.lifetimeStart()).isEqualTo(at(50));
    }

    @Test
    void movingElsewhereKeepsTheDueTimeAndClearsTheArchiveReason() {
        insert(message(1).state(DEFERRED).attempts(2).nextRetry(at(900)).build());

        store.moveMatching(MessageSelection.allIn(DEFERRED), null, 10, HOLD, at(50), null);

        MessageMetadata held = stored(id(1));
        assertThat(held.state()).isEqualTo(HOLD);
        assertThat(held.nextRetry()).isEqualTo(at(900));
        assertThat(held.attempts()).isEqualTo(2);
        assertThat(held.archivedAs()).isNull();
    }

    @Test
    void activeMessagesAreNeverMovedByASelectionOfTheirFormerState() {
        insert(message(1).header("tenant", "acme").build());
        insert(message(2).header("tenant", "acme").build());
        Claim claim = store.claimById(id(1), EnumSet.of(INCOMING), OWNER, T0, LEASE);
        MessageSelection acme = new MessageSelection(INCOMING, Map.of("tenant", "acme"), null, null, null);

        SelectionBatch batch = store.moveMatching(acme, null, 10, HOLD, at(5), null);

        assertThat(batch.changed()).containsExactly(id(2));
        assertThat(stored(id(1)).state()).isEqualTo(ACTIVE);
        assertThat(store.complete(List.of(ClaimOutcome.delete(claim)))).as("the claim still holds").isEmpty();
    }

    @Test
    void aMessageOnWhichAnAttemptStillRunsIsSkippedAndTheWalkGoesOn() {
        insert(message(1).created(at(1)).build());
        insert(message(2).created(at(2)).build());
        insert(message(3).created(at(3)).build());
        store.claimById(id(2), EnumSet.of(INCOMING), OWNER, T0, LEASE);
        store.moveToState(id(2), ACTIVE, HOLD, at(10), null);
        store.moveToState(id(1), INCOMING, HOLD, at(10), null);
        store.moveToState(id(3), INCOMING, HOLD, at(10), null);

        SelectionBatch first = store.moveMatching(MessageSelection.allIn(HOLD), null, 2, INCOMING, at(16), at(16));
        SelectionBatch second = store.moveMatching(MessageSelection.allIn(HOLD), first.next(), 2, INCOMING, at(16), at(16));

        assertThat(first.changed()).as("message 2's attempt still runs").containsExactly(id(1));
        assertThat(first.next()).isEqualTo(new SelectionKey(at(2), id(2)));
        assertThat(second.changed()).containsExactly(id(3));
        assertThat(second.next()).isNull();
        assertThat(stored(id(2)).state()).isEqualTo(HOLD);
    }

    @Test
    void aMessageThatLeftTheSelectionBetweenWindowsIsSkipped() {
        insert(message(1).created(at(1)).build());
        insert(message(2).created(at(2)).build());
        insert(message(3).created(at(3)).build());
        insert(message(4).created(at(4)).build());
        MessageSelection incoming = MessageSelection.allIn(INCOMING);

        SelectionBatch first = store.moveMatching(incoming, null, 2, BOUNCE, at(10), at(10));
        store.moveToState(id(3), INCOMING, HOLD, at(11), null);
        SelectionBatch second = store.moveMatching(incoming, first.next(), 2, BOUNCE, at(12), at(12));

        assertThat(first.changed()).containsExactly(id(1), id(2));
        assertThat(second.changed()).containsExactly(id(4));
        assertThat(stored(id(3)).state()).isEqualTo(HOLD);
    }

    // ---------------------------------------------------------------- deleteMatching

    @Test
    void deleteWalksTheSelectionInWindowsAndDeletesOnlyTheMatchingMessages() {
        for (int n = 1; n <= 7; n++) {
            insert(message(n).state(BOUNCE).created(at(n))
                    .lastError(n % 2 == 0 ? "mailbox FULL" : "no such user").build());
        }
        insert(message(8).state(DEFERRED).lastError("mailbox full").build());
        MessageSelection full = new MessageSelection(BOUNCE, Map.of(), null, "full", null);

        List<String> deleted = new ArrayList<>();
        SelectionKey after = null;
        int windows = 0;
        do {
            SelectionBatch batch = store.deleteMatching(full, after, 3);
            deleted.addAll(batch.changed());
            after = batch.next();
            windows++;
        } while (after != null);

        assertThat(deleted).containsExactly(id(2), id(4), id(6));
        assertThat(windows).isEqualTo(3);
        assertThat(store.find(id(2))).isEmpty();
        assertThat(store.find(id(1))).isPresent();
        assertThat(store.find(id(8))).as("another state").isPresent();
    }

    @Test
    void deleteNeverTouchesActiveMessages() {
        insert(message(1).build());
        insert(message(2).build());
        Claim claim = store.claimById(id(1), EnumSet.of(INCOMING), OWNER, T0, LEASE);

        SelectionBatch batch = store.deleteMatching(MessageSelection.allIn(INCOMING), null, 10);

        assertThat(batch.changed()).containsExactly(id(2));
        assertThat(stored(id(1)).state()).isEqualTo(ACTIVE);
        assertThat(store.complete(List.of(ClaimOutcome.delete(claim)))).isEmpty();
    }

    // ---------------------------------------------------------------- listMatching

    @Test
    void aListingReturnsTheMatchesOldestFirstAPageAtATime() {
        for (int n = 1; n <= 10; n++) {
            insert(message(n).created(at(n)).header("tenant", n % 3 == 0 ? "other" : "acme").build());
        }
        insert(message(11).created(at(0)).header("tenant", "acme").build());
        insert(message(12).state(HOLD).created(at(0)).header("tenant", "acme").build());
        MessageSelection acme = new MessageSelection(INCOMING, Map.of("tenant", "acme"), null, null, null);

        SelectionPage first = store.listMatching(acme, null, 3, 100);
        SelectionPage second = store.listMatching(acme, first.next(), 3, 100);
        SelectionPage last = store.listMatching(acme, second.next(), 3, 100);

        assertThat(ids(first)).containsExactly(id(11), id(1), id(2));
        assertThat(first.next()).as("after the last match").isEqualTo(new SelectionKey(at(2), id(2)));
        assertThat(ids(second)).containsExactly(id(4), id(5), id(7));
        assertThat(ids(last)).containsExactly(id(8), id(10));
        assertThat(last.next()).as("the range ended").isNull();
        assertThat(first.matches().get(0)).isEqualTo(stored(id(11)));
    }

    @Test
    void aListingBreaksTiesOfCreationTimeByIdAcrossPages() {
        for (int n = 1; n <= 5; n++) {
            insert(message(n).build());
        }

        SelectionPage first = store.listMatching(MessageSelection.allIn(INCOMING), null, 2, 10);
        SelectionPage second = store.listMatching(MessageSelection.allIn(INCOMING), first.next(), 2, 10);
        SelectionPage third = store.listMatching(MessageSelection.allIn(INCOMING), second.next(), 2, 10);

        assertThat(ids(first)).containsExactly(id(1), id(2));
        assertThat(ids(second)).containsExactly(id(3), id(4));
        assertThat(ids(third)).containsExactly(id(5));
        assertThat(third.next()).isNull();
    }

    @Test
    void aListingStopsAfterExaminingAtMostItsLimitOfRowsAndGoesOnFromTheLastOneExamined() {
        for (int n = 1; n <= 10; n++) {
            insertDeferred(n, n == 9 ? "connection refused" : "mailbox full");
        }
        MessageSelection refused = new MessageSelection(DEFERRED, Map.of(), null, "refused", null);

        SelectionPage first = store.listMatching(refused, null, 2, 4);
        SelectionPage second = store.listMatching(refused, first.next(), 2, 4);
        SelectionPage third = store.listMatching(refused, second.next(), 2, 4);

        assertThat(first.matches()).as("no match among the first 4 rows").isEmpty();
        assertThat(first.next()).isEqualTo(new SelectionKey(T0, id(4)));
        assertThat(second.matches()).isEmpty();
        assertThat(second.next()).isEqualTo(new SelectionKey(T0, id(8)));
        assertThat(ids(third)).containsExactly(id(9));
        assertThat(third.next()).as("2 rows were left, fewer than 4").isNull();
    }

    @Test
    void aListingThatFindsSomeMatchesBeforeItsRowLimitReturnsThemAndGoesOnAfterTheLastRowExamined() {
        for (int n = 1; n <= 6; n++) {
            insert(message(n).header("kind", n == 2 || n == 6 ? "sms" : "mail").build());
        }
        MessageSelection sms = new MessageSelection(INCOMING, Map.of("kind", "sms"), null, null, null);

        SelectionPage first = store.listMatching(sms, null, 5, 3);
        SelectionPage second = store.listMatching(sms, first.next(), 5, 3);

        assertThat(ids(first)).containsExactly(id(2));
        assertThat(first.next()).isEqualTo(new SelectionKey(T0, id(3)));
        assertThat(ids(second)).containsExactly(id(6));
        assertThat(second.next()).as("the third row examined was the last; the range may go on")
                .isEqualTo(new SelectionKey(T0, id(6)));
        assertThat(store.listMatching(sms, second.next(), 5, 3)).isEqualTo(new SelectionPage(List.of(), null));
    }

    @Test
    void aListingMatchesTheCriteriaAsCountDoesWithNonAsciiTextAndWildcards() {
        insert(message(1).state(DEFERRED).created(at(1)).lastError("disk 100% full")
                .header("x-\"quoted\".name", "Grüße \"ü\" \\ 😀").build());
        insert(message(2).state(DEFERRED).created(at(2)).lastError("disk 1000 full")
                .header("x-\"quoted\".name", "Grüße").build());
        insert(message(3).state(DEFERRED).created(at(3)).lastError("bad file_name in C:\\spool").build());
        insert(message(4).state(DEFERRED).created(at(4)).lastError("Zustellung fehlgeschlagen: Überlastung").build());
        insert(message(5).state(DEFERRED).created(at(5)).build());

        assertThat(listedWithError("0% f")).containsExactly(id(1));
        assertThat(listedWithError("%")).containsExactly(id(1));
        assertThat(listedWithError("_")).containsExactly(id(3));
        assertThat(listedWithError("c:\\SPOOL")).containsExactly(id(3));
        assertThat(listedWithError("ÜBERLASTUNG")).containsExactly(id(4));
        assertThat(listedWithError("überlastung")).as("ü does not match Ü").isEmpty();
        assertThat(listedWithError("FULL")).as("a message without an error never matches")
                .containsExactly(id(1), id(2));
        assertThat(ids(store.listMatching(new MessageSelection(DEFERRED,
                Map.of("x-\"quoted\".name", "Grüße \"ü\" \\ 😀"), null, null, null), null, 10, 10)))
                .containsExactly(id(1));
        assertThat(ids(store.listMatching(new MessageSelection(DEFERRED, Map.of("x-\"quoted\".name", "GRÜSSE"),
                null, null, null), null, 10, 10))).isEmpty();
    }

    @Test
    void aListingWithAnAgeExaminesOnlyMessagesCreatedStrictlyBeforeIt() {
        for (int n = 1; n <= 4; n++) {
            insert(message(n).created(at(10 * n)).build());
        }
        MessageSelection old = new MessageSelection(INCOMING, Map.of(), at(30), null, null);

        SelectionPage page = store.listMatching(old, null, 5, 2);

        assertThat(ids(page)).containsExactly(id(1), id(2));
        assertThat(page.next()).as("2 rows examined, the limit").isEqualTo(new SelectionKey(at(20), id(2)));
        assertThat(store.listMatching(old, page.next(), 5, 2)).isEqualTo(new SelectionPage(List.of(), null));
    }

    @Test
    void aListingShowsActiveMessagesAndChangesNothing() {
        insert(message(1).build());
        insert(message(2).build());
        Claim claim = store.claimById(id(1), EnumSet.of(INCOMING), OWNER, T0, LEASE);

        SelectionPage active = store.listMatching(MessageSelection.allIn(ACTIVE), null, 10, 10);

        assertThat(ids(active)).containsExactly(id(1));
        assertThat(ids(store.listMatching(MessageSelection.allIn(INCOMING), null, 10, 10))).containsExactly(id(2));
        assertThat(store.complete(List.of(ClaimOutcome.delete(claim)))).as("the claim still holds").isEmpty();
    }

    @Test
    void aListingRefusesALimitOrRowLimitBelowOneAndAMissingSelection() {
        MessageSelection all = MessageSelection.allIn(INCOMING);

        assertThatIllegalArgumentException().isThrownBy(() -> store.listMatching(all, null, 0, 10))
                .withMessageStartingWith("limit:");
        assertThatIllegalArgumentException().isThrownBy(() -> store.listMatching(all, null, 1, 0))
                .withMessageStartingWith("maxExamined:");
        assertThatIllegalArgumentException().isThrownBy(() -> store.listMatching(null, null, 1, 1))
                .withMessageStartingWith("selection:");
    }

    private void insert(MessageMetadata metadata) {
        assertThat(store.store(new NewMessage(metadata, null)).created()).isTrue();
    }

    private void insertDeferred(int n, String lastError) {
        insert(message(n).state(DEFERRED).lastError(lastError).build());
    }

    private long count(QueueState state, Map<String, String> headers, Instant createdBefore, String errorContains) {
        return store.countMatching(new MessageSelection(state, headers, createdBefore, errorContains, null));
    }

    private static MessageSelection destination(QueueState state, String destination) {
        return new MessageSelection(state, Map.of(), null, null, destination);
    }

    private long countWithError(String text) {
        return count(DEFERRED, Map.of(), null, text);
    }

    private List<String> listedWithError(String text) {
        return ids(store.listMatching(new MessageSelection(DEFERRED, Map.of(), null, text, null), null, 10, 10));
    }

    private static List<String> ids(SelectionPage page) {
        return page.matches().stream().map(MessageMetadata::id).toList();
    }

    private MessageMetadata stored(String id) {
        return store.find(id).orElseThrow();
    }
}
