-- AlterTable
ALTER TABLE "Participant" ADD COLUMN     "invitedAs" "ParticipantRole";

